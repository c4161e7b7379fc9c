package dev.skiff.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.app.CostReports;
import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The application services, built from plain constructors so tests can build them the same way without CDI. */
@ApplicationScoped
class AppProducers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    JobCatalog catalog() {
        return new JobCatalog();
    }

    /** Cost reports read the runs the engine keeps, priced at the launcher's rates. */
    @Produces
    @Singleton
    CostReports costReports(RunEngine engine, TaskLauncher launcher, JobCatalog catalog) {
        return new CostReports(engine, catalog::find, launcher.pricing(), CostReports.DEFAULT_MAX_RUNS);
    }

    @Produces
    @Singleton
    RunDispatcher dispatcher(JobCatalog catalog, RunEngine engine) {
        return new RunDispatcher(catalog, engine);
    }

    @Produces
    @Singleton
    EventIntake eventIntake(JobCatalog catalog, RunDispatcher dispatcher, ObjectMapper mapper, Clock clock) {
        return new EventIntake(catalog, dispatcher, mapper, clock);
    }

    @Produces
    @Singleton
    @Typed(CronScheduler.class)
    CronScheduler cronScheduler(JobCatalog catalog, RunDispatcher dispatcher, RunEngine engine, Clock clock,
                                PausedSchedules paused, SkiffMode mode) {
        return new CronScheduler(catalog, dispatcher, engine, clock, paused, mode.watermarks());
    }
}
