package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Finds the jobs an event starts. Every event trigger of every job is one rule in event-ruler's
 * machines ({@link RuleMachines}: one for plain patterns, one for those with wildcards or ignoring
 * case; triggers with the same pattern text share one compiled rule), so matching costs about the
 * same for 10 jobs as for 1,000.
 *
 * <p>Concurrency follows event-ruler's model: any number of threads may {@link #route} while one
 * thread at a time {@link #update}s. An update compiles only the rules of jobs whose patterns
 * changed (event-ruler takes seconds to compile a thousand rules with numeric matchers), and an
 * event routed during an update matches either the old or the new version of a changed job, never
 * neither: the new rules are added before the switch, and the old ones are deleted only once every
 * route that began before the switch has finished.
 *
 * <p>A job's {@code triggers.after} (it follows another job's run end) is no rule of its own: event-ruler would hold a
 * path of states per upstream job (at 100,000 specs, 10,000 of them took some 25 MB and a fifth of the router's
 * start). One rule per set of run ends followed tells that an event is such a run end naming a job; the followers are
 * then looked up by the job it names, in a map published with the routes. The jobs matched are exactly those that
 * the trigger's own pattern ({@link AfterTrigger#asEventTrigger}) would match: the rule asks event-ruler for the
 * source and detail-type, and for a {@code detail.job}, and the lookup takes every string the event holds there,
 * read as event-ruler reads it (each value of an array, each value of a key given twice).
 */
public final class EventRouter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What a rule of the machines stands for. */
    private sealed interface RuleName permits TriggerRef, RunEnds {
    }

    /** Names a rule: the job, the version of its patterns the rule was compiled from, and the trigger's index. */
    private record TriggerRef(String job, long version, int trigger) implements RuleName {
    }

    /**
     * The rule of Skiff's run events of these detail-types (sorted) that name a job: some job follows such ends.
     *
     * @param demand what the rule demands of an event's source and detail-type ({@link SourceIndex})
     */
    private record RunEnds(List<String> detailTypes, SourceIndex.Demand demand) implements RuleName {

        static RunEnds of(List<RunEvents.Kind> statuses) {
            List<String> detailTypes = statuses.stream().map(RunEvents.Kind::detailType).distinct().sorted().toList();
            return new RunEnds(detailTypes, new SourceIndex.Demand(Set.of(RunEvents.SOURCE), Set.copyOf(detailTypes)));
        }

        String pattern() {
            var pattern = JSON.createObjectNode();
            pattern.putArray("source").add(RunEvents.SOURCE);
            detailTypes.forEach(pattern.putArray("detail-type")::add);
            pattern.putObject("detail").putArray(RunEvents.JOB).addObject().put("exists", true);
            return pattern.toString();
        }
    }

    /** A job that follows runs of another: its trigger's index (after its event triggers) and the ends it follows. */
    private record Follower(String job, int trigger, RunEnds ends) {
    }

    /**
     * What is needed after a match: where the job stands in the given order, which version of its
     * rules counts, its triggers (to tell what an update changes) and each trigger's parameter paths.
     */
    private record Route(String jobName, int position, long version, List<EventTrigger> triggers, List<AfterTrigger> after,
                         List<RunEnds> ends, List<Map<String, EventPath>> triggerParameters, boolean namesId,
                         List<SourceIndex.Demand> demands) {

        /** Each {@code after} as its follower, upstream job first. */
        void forEachFollower(java.util.function.BiConsumer<String, Follower> action) {
            for (int i = 0; i < after.size(); i++) {
                action.accept(after.get(i).job(), new Follower(jobName, triggers.size() + i, ends.get(i)));
            }
        }

        String pattern(int trigger) {
            return triggers.get(trigger).pattern();
        }

        boolean samePatterns(List<EventTrigger> others) {
            if (others.size() != triggers.size()) {
                return false;
            }
            for (int i = 0; i < others.size(); i++) {
                if (!others.get(i).pattern().equals(triggers.get(i).pattern())) {
                    return false;
                }
            }
            return true;
        }
    }

    private final RuleMachines<RuleName> machines = new RuleMachines<>();
    /** How many followers each run-ends rule serves; its rule is compiled with the first and deleted with the last. */
    private final Map<RunEnds, Integer> runEndsUses = new HashMap<>();
    /** The run-ends rule of each list of statuses followed: 10,000 followers name a few such lists. */
    private final Map<List<RunEvents.Kind>, RunEnds> runEndsOf = new HashMap<>();
    /** Routes hold it shared while they match; an update takes it exclusively, briefly, to wait them out before deleting rules. */
    private final ReadWriteLock inFlight = new ReentrantReadWriteLock();
    /**
     * The routes, and the index of the sources their patterns name, published together: a route that asks the index
     * and finds nothing answers for exactly these routes.
     */
    private record State(LayeredMap<String, Route> routes, SourceIndex sources, LayeredMap<String, List<Follower>> followers) {
    }

    private volatile State state = new State(LayeredMap.of(Map.of()), SourceIndex.EMPTY, LayeredMap.of(Map.of()));
    /** How many routes have a pattern on the event's {@code id}: the intake then needs the id it gives an event. */
    private volatile int routesNamingId;
    private long lastVersion;

    private EventRouter() {
    }

    /**
     * @throws IllegalArgumentException when two jobs share a name, or a trigger was not built by
     *                                  {@link JobSpecs} and its pattern or a path is invalid
     */
    public static EventRouter of(Collection<JobSpec> jobs) {
        EventRouter router = new EventRouter();
        router.update(jobs);
        return router;
    }

    /**
     * Makes the router serve exactly these jobs, in this order. Rules are compiled only for jobs that
     * are new or whose patterns changed, and deleted only for jobs that went or changed; a job whose
     * patterns are unchanged keeps its rules (its parameter paths and position are still taken anew).
     * On an exception nothing changed.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public synchronized void update(Collection<JobSpec> jobs) {
        State was = state;
        Map<String, Route> before = was.routes();
        Map<String, Route> after = new HashMap<>();
        Map<RuleName, String> added = new HashMap<>();
        Map<String, SourceIndex.Demand> demands = new HashMap<>();
        try {
            for (JobSpec job : jobs) {
                putOnce(after, route(job, before.get(job.name()), after.size(), added, demands));
            }
        } catch (RuntimeException e) {
            machines.delete(added);
            throw e;
        }
        var turnover = new Turnover();
        before.forEach((name, old) -> turnover.replaced(old, after.get(name)));
        after.forEach((name, now) -> {
            if (!before.containsKey(name)) {
                turnover.replaced(null, now);
            }
        });
        state = new State(LayeredMap.of(after), was.sources().with(turnover.demandsNew, turnover.demandsGone),
                followers(was.followers(), turnover));
        routesNamingId = (int) after.values().stream().filter(Route::namesId).count();
        deleteOnceUnused(turnover.obsolete);
    }

    /**
     * Applies a change of some jobs: {@code upserted} are added or replace their namesakes, {@code removed} go. Costs
     * what changed only; every other job keeps its rules, route and place in the order. Among matches, a job added
     * here comes after the jobs given to {@link #update}, in name order. On an exception nothing changed.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public synchronized void change(Collection<JobSpec> upserted, Collection<String> removed) {
        State was = state;
        Map<String, Route> before = was.routes();
        Map<String, Route> put = new HashMap<>();
        Map<RuleName, String> added = new HashMap<>();
        Map<String, SourceIndex.Demand> demands = new HashMap<>();
        try {
            for (JobSpec job : upserted) {
                Route previous = before.get(job.name());
                putOnce(put, route(job, previous, previous != null ? previous.position() : Integer.MAX_VALUE, added, demands));
            }
        } catch (RuntimeException e) {
            machines.delete(added);
            throw e;
        }
        var gone = new ArrayList<String>();
        for (String name : removed) {
            if (!put.containsKey(name) && before.containsKey(name)) {
                gone.add(name);
            }
        }
        int namingId = routesNamingId;
        var turnover = new Turnover();
        for (var entry : put.entrySet()) { // a start puts 100,000: no list of their names first, no second lookup
            Route old = before.get(entry.getKey());
            Route now = entry.getValue();
            namingId += (now.namesId() ? 1 : 0) - (old != null && old.namesId() ? 1 : 0);
            turnover.replaced(old, now);
        }
        for (String name : gone) {
            Route old = before.get(name);
            namingId -= old.namesId() ? 1 : 0;
            turnover.replaced(old, null);
        }
        state = new State(was.routes().with(put, gone), was.sources().with(turnover.demandsNew, turnover.demandsGone),
                followers(was.followers(), turnover));
        routesNamingId = namingId;
        deleteOnceUnused(turnover.obsolete);
    }

    /**
     * What replacing routes retires and brings: the rules of a route whose version went (deleted once unused), and the
     * demands on sources that leave and enter the index. A route kept at its version changes neither.
     */
    private static final class Turnover {

        final Map<RuleName, String> obsolete = new HashMap<>();
        final List<SourceIndex.Demand> demandsGone = new ArrayList<>();
        final List<SourceIndex.Demand> demandsNew = new ArrayList<>();
        /** By upstream job: the followers that go (by name), and those that come. */
        final Map<String, java.util.Set<String>> followersGone = new HashMap<>();
        final Map<String, List<Follower>> followersNew = new HashMap<>();

        /** {@code old} (null: the job is new) gives way to {@code now} (null: the job went). */
        void replaced(Route old, Route now) {
            if (old != null && now != null && now.version() == old.version()) {
                return;
            }
            if (old != null) {
                for (int i = 0; i < old.triggers().size(); i++) {
                    obsolete.put(new TriggerRef(old.jobName(), old.version(), i), old.pattern(i));
                }
                demandsGone.addAll(old.demands());
                old.forEachFollower((upstream, follower) ->
                        followersGone.computeIfAbsent(upstream, u -> new java.util.HashSet<>()).add(follower.job()));
            }
            if (now != null) {
                demandsNew.addAll(now.demands());
                now.forEachFollower((upstream, follower) ->
                        followersNew.computeIfAbsent(upstream, u -> new ArrayList<>()).add(follower));
            }
        }
    }

    /**
     * The route of {@code job} at {@code position}: it keeps the rules of {@code previous} when its patterns are the
     * same, else its new rules are compiled and kept in {@code added} (to delete them if the update fails). What a
     * pattern demands of sources is read once per update and text in {@code demandsByPattern}: many jobs share a pattern.
     */
    private Route route(JobSpec job, Route previous, int position, Map<RuleName, String> added,
                        Map<String, SourceIndex.Demand> demandsByPattern) {
        List<EventTrigger> triggers = job.triggers().events();
        List<AfterTrigger> after = job.triggers().after();
        if (triggers.isEmpty() && after.isEmpty()) {
            // Most jobs of a large catalog (60,000 of the scale benchmark's 100,000): no rule, parameter or demand, so
            // none of the lists below is made for them.
            boolean same = previous != null && previous.triggers().isEmpty() && previous.after().isEmpty();
            return new Route(job.name(), position, same ? previous.version() : ++lastVersion, triggers, after, List.of(),
                    List.of(), false, List.of());
        }
        // A change of the jobs followed is a new version too: the followers and demands of a version never change.
        boolean keepRules = previous != null && previous.samePatterns(triggers) && previous.after().equals(after);
        long version = keepRules ? previous.version() : ++lastVersion;
        var parameters = previous != null && previous.triggers().equals(triggers) && previous.after().equals(after)
                ? previous.triggerParameters() : parameters(triggers, after);
        boolean namesId = keepRules ? previous.namesId() : namesId(triggers);
        List<RunEnds> ends = keepRules ? previous.ends() : new ArrayList<>(after.size());
        List<SourceIndex.Demand> demands = keepRules ? previous.demands() : new ArrayList<>();
        if (!keepRules) {
            triggers.forEach(t -> demands.add(demandsByPattern.computeIfAbsent(t.pattern(), SourceIndex::demandOf)));
            after.forEach(a -> ends.add(runEndsOf.computeIfAbsent(a.statuses(), RunEnds::of)));
            ends.forEach(end -> demands.add(end.demand()));
        }
        var route = new Route(job.name(), position, version, triggers, after, List.copyOf(ends), parameters, namesId,
                List.copyOf(demands));
        for (int i = 0; !keepRules && i < triggers.size(); i++) {
            added.put(addRule(new TriggerRef(job.name(), version, i), triggers.get(i).pattern()), triggers.get(i).pattern());
        }
        return route;
    }

    private static void putOnce(Map<String, Route> routes, Route route) {
        if (routes.putIfAbsent(route.jobName(), route) != null) {
            throw new IllegalArgumentException("job " + route.jobName() + " appears twice; job names are unique");
        }
    }

    /**
     * The followers index with the turnover's followers gone and come; compiles the rule of run ends the first follower
     * of them needs, and marks for deletion (once unused) the rule the last one needed.
     */
    private LayeredMap<String, List<Follower>> followers(LayeredMap<String, List<Follower>> before, Turnover turnover) {
        if (turnover.followersGone.isEmpty() && turnover.followersNew.isEmpty()) {
            return before;
        }
        Map<String, List<Follower>> put = new HashMap<>();
        List<String> emptied = new ArrayList<>();
        var upstreams = new java.util.HashSet<>(turnover.followersGone.keySet());
        upstreams.addAll(turnover.followersNew.keySet());
        for (String upstream : upstreams) {
            var gone = turnover.followersGone.getOrDefault(upstream, java.util.Set.of());
            var now = new ArrayList<Follower>();
            for (Follower follower : before.getOrDefault(upstream, List.of())) {
                if (gone.contains(follower.job())) {
                    use(follower.ends(), -1, turnover);
                } else {
                    now.add(follower);
                }
            }
            for (Follower follower : turnover.followersNew.getOrDefault(upstream, List.of())) {
                use(follower.ends(), 1, turnover);
                now.add(follower);
            }
            if (now.isEmpty()) {
                emptied.add(upstream);
            } else {
                put.put(upstream, List.copyOf(now));
            }
        }
        return before.with(put, emptied);
    }

    /** Counts a follower of {@code ends} in ({@code by} 1) or out (-1), compiling or retiring its rule at the edges. */
    private void use(RunEnds ends, int by, Turnover turnover) {
        int uses = runEndsUses.getOrDefault(ends, 0) + by;
        if (uses == 0) {
            runEndsUses.remove(ends);
            turnover.obsolete.put(ends, ends.pattern());
        } else {
            runEndsUses.put(ends, uses);
        }
        if (uses == 1 && by == 1) {
            if (turnover.obsolete.remove(ends) == null) {
                addRunEndsRule(ends);
            }
        }
    }

    private void addRunEndsRule(RunEnds ends) {
        try {
            machines.add(ends, ends.pattern());
        } catch (IOException e) {
            throw new IllegalStateException("the run-ends rule " + ends.pattern() + " does not compile", e);
        }
    }

    private void deleteOnceUnused(Map<RuleName, String> obsolete) {
        if (!obsolete.isEmpty()) {
            awaitRoutesInFlight();
            machines.delete(obsolete);
        }
    }

    /** Returns once every route that might still hold the previous routes has finished. */
    private void awaitRoutesInFlight() {
        inFlight.writeLock().lock();
        inFlight.writeLock().unlock();
    }

    /**
     * The jobs whose event triggers match, in the order the jobs were given; one match per job,
     * naming its first matching trigger.
     *
     * @throws InvalidEventException when the event is not a JSON object
     */
    public List<EventMatch> route(String eventJson) {
        return matchParsed(read(eventJson));
    }

    /**
     * As {@link #route(String)}, for an event already parsed (the intake has read it to check it),
     * which saves writing and reading it again. The node is only read.
     *
     * @throws InvalidEventException when the event is not a JSON object
     */
    public List<EventMatch> route(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw notAnObject(event);
        }
        return matchParsed(event);
    }

    /**
     * As {@link #route(JsonNode)}, matching the event's text as event-ruler reads it: it walks the text once and keeps
     * only the fields some pattern names, which costs less than building a tree of the whole event. The tree is asked
     * for only when a matching trigger maps parameters from the event, at most once.
     *
     * <p>Matching the text is matching what the tree holds, with one difference: a key given twice in one object
     * matches on each of its values, where the tree keeps the last. A caller that matched trees before must send
     * such text the tree way (the intake's envelope reader declines it).
     *
     * @param tree the event read (as the caller completed it); only paths of parameters are read from it
     * @throws InvalidEventException when event-ruler cannot read the text: not JSON, or not an object
     */
    public List<EventMatch> route(String eventText, Supplier<? extends JsonNode> tree) {
        return matchUnderLock(() -> {
            try {
                return machines.rulesForJSONEvent(eventText);
            } catch (Exception e) {
                throw new InvalidEventException("event-ruler cannot read the event: " + e.getMessage(), e);
            }
        }, new OnceTree(tree), () -> JSON.getFactory().createParser(eventText));
    }

    /**
     * As {@link #route(String, Supplier)}, reading the parameters of matching triggers from the text too: each is found
     * where the text writes it, and only the values at their paths are read ({@link EventText} says which tree they are
     * the values of). No tree of the event is built.
     *
     * @throws InvalidEventException when event-ruler cannot read the text, or the mapper cannot read a matched event's values
     */
    public List<EventMatch> route(EventText event) {
        return matchUnderLock(() -> {
            try {
                return machines.rulesForJSONEvent(event.text());
            } catch (Exception e) {
                throw new InvalidEventException("event-ruler cannot read the event: " + e.getMessage(), e);
            }
        }, new FromText(event), () -> JSON.getFactory().createParser(event.text()));
    }

    /**
     * Whether some pattern may look at an event's top-level {@code id} (it names a field {@code id} anywhere): an
     * intake that gives an event its id only once it has the tree must then match the tree, not the text.
     */
    public boolean matchesOnEventId() {
        return routesNamingId > 0;
    }

    /**
     * Whether some job's pattern may match an event whose top-level {@code source} and {@code detail-type} are these
     * strings (null: the event has no such field). False means no job matches it, whatever else the event holds,
     * exactly as event-ruler would find: a caller that knows event-ruler reads the event's text may then skip it.
     */
    public boolean mayMatch(String source, String detailType) {
        return state.sources().mayMatch(source, detailType);
    }

    /** How many rules event-ruler's machines hold (for tests). */
    int compiledRules() {
        return machines.compiledRules();
    }

    /** How many patterns name no plain exact source, so that while there are any, {@link #mayMatch} is always true. */
    public int patternsOpenToEverySource() {
        return state.sources().openPatterns();
    }

    /** The tree is read already, so event-ruler could not refuse it: an event the index rules out matches nothing. */
    private List<EventMatch> matchParsed(JsonNode event) {
        if (!state.sources().mayMatch(event)) {
            return List.of();
        }
        return matchUnderLock(() -> machines.rulesForJSONEvent(event), new OnceTree(() -> event), event::traverse);
    }

    /**
     * Matches while holding off the deletion of replaced rules, against the routes of the same moment.
     *
     * @param tokens the event as event-ruler read it, where a run end names its job (read only for one)
     */
    private List<EventMatch> matchUnderLock(Supplier<List<RuleName>> rules, Values event, EventRouterTokens tokens) {
        State current;
        List<RuleName> matched;
        inFlight.readLock().lock();
        try {
            current = state;
            matched = rules.get();
        } finally {
            inFlight.readLock().unlock();
        }
        return matches(current.routes(), withFollowers(current, matched, tokens), event);
    }

    /**
     * The triggers matched: those of event-ruler's rules, and the followers of the jobs a matched run end names, each
     * following one of the ends the event is.
     */
    private static List<TriggerRef> withFollowers(State current, List<RuleName> matched, EventRouterTokens tokens) {
        List<TriggerRef> refs = new ArrayList<>(matched.size());
        List<RunEnds> ends = null;
        for (RuleName rule : matched) {
            if (rule instanceof TriggerRef ref) {
                refs.add(ref);
            } else if (rule instanceof RunEnds end) {
                (ends == null ? ends = new ArrayList<>(2) : ends).add(end);
            }
        }
        if (ends == null) {
            return refs;
        }
        for (String upstream : RunEndJobs.of(tokens)) {
            for (Follower follower : current.followers().getOrDefault(upstream, List.of())) {
                Route route = current.routes().get(follower.job());
                if (route != null && ends.contains(follower.ends())) {
                    refs.add(new TriggerRef(follower.job(), route.version(), follower.trigger()));
                }
            }
        }
        return refs;
    }

    /** Where the parameters of the triggers an event matched are read from. */
    private interface Values {

        Optional<String> at(EventPath path);
    }

    /** The tree of the event being routed, read the first time a parameter needs it. */
    private static final class OnceTree implements Values {

        private final Supplier<? extends JsonNode> read;
        private JsonNode tree;

        OnceTree(Supplier<? extends JsonNode> read) {
            this.read = read;
        }

        @Override
        public Optional<String> at(EventPath path) {
            if (tree == null) {
                tree = read.get();
            }
            return path.extract(tree);
        }
    }

    /** The event's text, whose values at the paths are read from it, each where it is written. */
    private static final class FromText implements Values {

        private final EventText event;
        private TextParameters values;

        FromText(EventText event) {
            this.event = event;
        }

        @Override
        public Optional<String> at(EventPath path) {
            try {
                if (values == null) {
                    values = new TextParameters(event);
                }
                return values.at(path);
            } catch (UncheckedIOException e) {
                throw new InvalidEventException("the event's parameters cannot be read: " + e.getCause().getMessage(), e);
            }
        }
    }

    private static List<EventMatch> matches(Map<String, Route> current, List<TriggerRef> matched, Values event) {
        if (matched.isEmpty()) {
            return List.of();
        }
        // First matching trigger of each job, by the job's position; rules of another version are being replaced.
        Route[] byJob = new Route[matched.size()];
        int[] trigger = new int[matched.size()];
        int jobs = 0;
        for (TriggerRef ref : matched) {
            Route route = current.get(ref.job());
            if (route == null || route.version() != ref.version()) {
                continue;
            }
            int at = indexOf(byJob, jobs, route);
            if (at < 0) {
                byJob[jobs] = route;
                trigger[jobs++] = ref.trigger();
            } else {
                trigger[at] = Math.min(trigger[at], ref.trigger());
            }
        }
        return matches(byJob, trigger, jobs, event);
    }

    private static int indexOf(Route[] routes, int count, Route route) {
        for (int i = 0; i < count; i++) {
            if (routes[i] == route) {
                return i;
            }
        }
        return -1;
    }

    private static List<EventMatch> matches(Route[] byJob, int[] trigger, int count, Values event) {
        if (count == 1) {
            return List.of(match(byJob[0], trigger[0], event));
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byPosition = Integer.compare(byJob[a].position(), byJob[b].position());
            return byPosition != 0 ? byPosition : byJob[a].jobName().compareTo(byJob[b].jobName());
        });
        List<EventMatch> matches = new ArrayList<>(count);
        for (int i : order) {
            matches.add(match(byJob[i], trigger[i], event));
        }
        return List.copyOf(matches);
    }

    private static EventMatch match(Route route, int trigger, Values event) {
        Map<String, EventPath> paths = route.triggerParameters().get(trigger);
        if (paths.isEmpty()) {
            return new EventMatch(route.jobName(), trigger, Map.of());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        paths.forEach((name, path) -> event.at(path).ifPresent(value -> parameters.put(name, value)));
        return new EventMatch(route.jobName(), trigger, parameters);
    }

    private static JsonNode read(String eventJson) {
        if (eventJson == null) {
            throw new InvalidEventException("event is missing: expected a JSON object");
        }
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (JsonProcessingException e) {
            var where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidEventException("event is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (event == null || !event.isObject()) {
            throw notAnObject(event);
        }
        return event;
    }

    private static InvalidEventException notAnObject(JsonNode event) {
        return new InvalidEventException("event must be a JSON object, was " + (event == null ? "empty" : event.getNodeType().name().toLowerCase(Locale.ROOT)));
    }

    private RuleName addRule(TriggerRef ref, String pattern) {
        try {
            machines.add(ref, pattern);
            return ref;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("job " + ref.job() + " triggers.events[" + ref.trigger() + "]: pattern does not compile: " + e.getMessage(), e);
        }
    }

    /** Conservative: a pattern naming a field {@code id} at any depth counts, since patterns are canonical JSON text. */
    private static boolean namesId(List<EventTrigger> triggers) {
        for (EventTrigger trigger : triggers) {
            if (trigger.pattern().contains("\"id\"")) {
                return true;
            }
        }
        return false;
    }

    /** The parameter paths of each trigger: the event triggers', then each {@code after}'s. */
    private static List<Map<String, EventPath>> parameters(List<EventTrigger> triggers, List<AfterTrigger> after) {
        List<Map<String, EventPath>> parameters = new ArrayList<>();
        triggers.forEach(trigger -> parameters.add(paths(trigger.parameters())));
        after.forEach(follow -> parameters.add(paths(follow.parameters())));
        return List.copyOf(parameters);
    }

    private static Map<String, EventPath> paths(Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return Map.of();
        }
        Map<String, EventPath> paths = new LinkedHashMap<>();
        parameters.forEach((name, path) -> paths.put(name, EventPath.parse(path)));
        return Map.copyOf(paths);
    }
}
