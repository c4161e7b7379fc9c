package dev.skiff.benchmarks;

import java.util.Comparator;
import java.util.List;

/**
 * Issue 16's cron goals, judged from the figures each case printed: Skiff's whole-process CPU at most a quarter of
 * Quartz's, Skiff's lateness p99 below Quartz's, and every due fire (by Quartz's CronExpression) run once with none
 * that was not due, for both schedulers.
 */
final class CronGoals {

    static final double CPU_RATIO = 0.25;

    private CronGoals() {
    }

    /** One size and set, both schedulers measured. */
    record Case(CronResult skiff, CronResult quartz) {

        double cpuRatio() {
            return skiff.processCpuPerMinute() / quartz.processCpuPerMinute();
        }

        boolean cpuMet() {
            return cpuRatio() <= CPU_RATIO;
        }

        boolean latenessMet() {
            return skiff.latenessP99() < quartz.latenessP99();
        }

        void print() {
            System.out.printf("cron goal, %s set, %,d schedules: whole process CPU %.2f× Quartz (goal ≤ %.2f×): %s; lateness p99 %.1f ms"
                            + " against Quartz's %.1f ms (goal: below): %s; fires: Skiff %s, Quartz %s%n",
                    skiff.set(), skiff.schedules(), cpuRatio(), CPU_RATIO, met(cpuMet()), skiff.latenessP99(),
                    quartz.latenessP99(), met(latenessMet()), fires(skiff), fires(quartz));
        }
    }

    /** Every case against the goals, with the worst figure of each. */
    static void printSummary(List<Case> cases) {
        if (cases.isEmpty()) {
            return;
        }
        Case worstCpu = cases.stream().max(Comparator.comparingDouble(Case::cpuRatio)).orElseThrow();
        double lowestCpu = cases.stream().mapToDouble(Case::cpuRatio).min().orElseThrow();
        long cpuMissed = cases.stream().filter(c -> !c.cpuMet()).count();
        long latenessMissed = cases.stream().filter(c -> !c.latenessMet()).count();
        long skiffFiresWrong = cases.stream().filter(c -> !allDueOnce(c.skiff())).count();
        long quartzFiresWrong = cases.stream().filter(c -> !allDueOnce(c.quartz())).count();
        System.out.printf("cron goal: whole process CPU ≤ %.2f× Quartz: %s, met in %d of %d cases (%.2f–%.2f×, the highest on the"
                        + " %s set at %,d)%n", CPU_RATIO, cpuMissed == 0 ? "met" : "MISSED", cases.size() - cpuMissed, cases.size(),
                lowestCpu, worstCpu.cpuRatio(), worstCpu.skiff().set(), worstCpu.skiff().schedules());
        System.out.printf("cron goal: lateness p99 below Quartz's: %s, met in %d of %d cases%n",
                latenessMissed == 0 ? "met" : "MISSED", cases.size() - latenessMissed, cases.size());
        System.out.printf("cron goal: every due fire run once, none not due (counted with Quartz's CronExpression): Skiff %s,"
                        + " met in %d of %d cases; Quartz met in %d of %d%n", skiffFiresWrong == 0 ? "met" : "MISSED",
                cases.size() - skiffFiresWrong, cases.size(), cases.size() - quartzFiresWrong, cases.size());
    }

    private static boolean allDueOnce(CronResult result) {
        return result.dueRun() == result.due() && result.notDue() == 0;
    }

    private static String fires(CronResult result) {
        return allDueOnce(result) ? "all " + String.format("%,d", result.due()) + " due ran once"
                : String.format("%,d of %,d due ran, %,d not due or twice", result.dueRun(), result.due(), result.notDue());
    }

    private static String met(boolean met) {
        return met ? "met" : "MISSED";
    }
}
