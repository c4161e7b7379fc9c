package dev.skiff.orchestrator.adapter.sfn;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sfn.SfnClient;

/** A real Step Functions client that counts the calls made through it, by operation, so a test can see their cost. */
final class CountingSfn {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> times = new ConcurrentHashMap<>();
    final SfnClient client;

    CountingSfn(SfnClient real) {
        client = (SfnClient) Proxy.newProxyInstance(SfnClient.class.getClassLoader(), new Class<?>[] {SfnClient.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
                    times.computeIfAbsent(method.getName(), name -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Calls of the operation since the last reset, e.g. {@code "describeExecution"}. */
    int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** When each call of the operation since the last reset was made ({@link System#nanoTime()}), in order. */
    List<Long> times(String operation) {
        return List.copyOf(times.getOrDefault(operation, List.of()));
    }

    void reset() {
        calls.clear();
        times.clear();
    }
}
