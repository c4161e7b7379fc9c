package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.port.Backfills;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Backfills that last as long as the process: for tests and tools with no database. */
public final class InMemoryBackfills implements Backfills {

    private final Map<String, Backfill> byId = new ConcurrentHashMap<>();

    @Override
    public Stored create(Backfill backfill) {
        Backfill before = byId.putIfAbsent(backfill.id(), backfill);
        return before == null ? new Stored(backfill, true) : new Stored(before, false);
    }

    @Override
    public Optional<Backfill> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<Backfill> ofJob(String job) {
        return byId.values().stream().filter(b -> b.job().equals(job))
                .sorted(Comparator.comparing(Backfill::createdAt).reversed()).toList();
    }

    @Override
    public List<Backfill> open() {
        return byId.values().stream().filter(Backfill::open).sorted(Comparator.comparing(Backfill::createdAt)).toList();
    }

    @Override
    public void update(Backfill backfill) {
        byId.put(backfill.id(), backfill);
    }
}
