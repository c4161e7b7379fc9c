package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.app.BackfillDriver;
import dev.skiff.orchestrator.app.BackfillProgress;
import dev.skiff.orchestrator.app.BackfillService;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.RunEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The backfill parts, from plain constructors; the store comes from the chosen {@link SkiffMode}. */
@ApplicationScoped
class BackfillProducers {

    @Produces
    @Singleton
    BackfillProgress progress(RunEngine engine) {
        return new BackfillProgress(engine);
    }

    @Produces
    @Singleton
    BackfillDriver driver(Backfills backfills, BackfillProgress progress, JobCatalog catalog, RunDispatcher dispatcher,
                          BackfillConfig config) {
        return new BackfillDriver(backfills, progress, catalog, dispatcher, config.tickInterval());
    }

    @Produces
    @Singleton
    BackfillService service(Backfills backfills, JobCatalog catalog, BackfillProgress progress, RunEngine engine,
                            Clock clock, BackfillDriver driver) {
        return new BackfillService(backfills, catalog, progress, engine, clock, driver::wake);
    }
}
