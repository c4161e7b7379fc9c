package dev.skiff.orchestrator.adapter.sfn;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sfn.SfnClient;

/** A real Step Functions client that counts the calls made through it, by operation, so a test can see their cost. */
final class CountingSfn {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final SfnClient client;

    CountingSfn(SfnClient real) {
        client = (SfnClient) Proxy.newProxyInstance(SfnClient.class.getClassLoader(), new Class<?>[] {SfnClient.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
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

    void reset() {
        calls.clear();
    }
}
