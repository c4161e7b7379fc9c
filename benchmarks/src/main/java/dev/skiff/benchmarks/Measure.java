package dev.skiff.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Predicate;

/** CPU and heap readings for the cron benchmark. */
final class Measure {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Measure() {
    }

    /** Heap in use after full collections, in MB. */
    static double heapAfterGcMb() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    /** The JVM's live threads whose name passes the test. */
    static List<Thread> threads(Predicate<String> name) {
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream().filter(t -> name.test(t.getName())).toList();
        if (threads.isEmpty()) {
            throw new IllegalStateException("no thread to measure");
        }
        return threads;
    }

    /** CPU nanoseconds these threads have used so far (a thread that ended counts nothing). */
    static long cpuNanos(List<Thread> threads) {
        long total = 0;
        for (Thread thread : threads) {
            total += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
        }
        return total;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
