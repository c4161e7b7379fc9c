package dev.skiff.jobs;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The kept form of a checked spec ({@link CheckedSpecs}): the model's fields in a fixed order, each a number ended by
 * {@code ;} (an enum constant by its position) or a text given its length ({@code 5:hello}), {@code ~} for a text
 * that is null. Reading it back is a walk
 * along one string with no tree and no rule: a restart at 100,000 specs parsed each kept spec as JSON into a tree,
 * re-serialized its event patterns and read every default again, a third of reading the spec cache and a large share
 * of the start's garbage and compilations. The order of maps is kept.
 *
 * <p>Only {@link CheckedSpecs#FORMAT} names this layout, and a keeper drops what another version of this module kept,
 * so the reader trusts the order of the fields; what it reads wrong (a damaged form) throws.
 */
final class KeptSpecText {

    private KeptSpecText() {
    }

    static String write(JobSpec spec) {
        var out = new Writer();
        out.text(spec.name()).text(spec.description()).text(spec.owner()).container(Container.of(spec));
        out.number(spec.parameters().size());
        spec.parameters().forEach(p -> out.text(p.name()).text(p.description()).optionalText(p.defaultValue())
                .flag(p.required()));
        out.textMap(spec.tags()).triggers(spec.triggers());
        // A job of one container is most jobs: its step is made of the job's own fields, as the mapper makes it.
        out.flag(spec.isPipeline());
        if (spec.isPipeline()) {
            out.number(spec.steps().size());
            spec.steps().forEach(out::step);
        }
        out.number(spec.notifications().channels().size());
        spec.notifications().channels().forEach((on, channels) -> {
            out.name(on).number(channels.size());
            channels.forEach(channel -> out.name(channel.kind()).text(channel.target()));
        });
        return out.toString();
    }

    /** @throws IllegalArgumentException when {@code kept} is no kept form of this layout */
    static JobSpec read(String kept) {
        var in = new Reader(kept);
        try {
            JobSpec spec = in.spec();
            if (in.position != kept.length()) {
                throw new IllegalArgumentException("text after the kept spec at " + in.position);
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // the model's constructors, ZoneId.of, a text cut short: damaged, whichever
            throw new IllegalArgumentException("malformed at " + in.position + ": " + e, e);
        }
    }

    /** What a job and each of its steps say of the container they run, in the order both keep it. */
    private record Container(String image, List<String> command, List<String> args, Map<String, String> environment,
                             Map<String, String> secrets, Resources resources, Capacity capacity, Duration timeout,
                             RetryPolicy retries) {
        static Container of(JobSpec job) {
            return new Container(job.image(), job.command(), job.args(), job.environment(), job.secrets(),
                    job.resources(), job.capacity(), job.timeout(), job.retries());
        }

        static Container of(StepSpec step) {
            return new Container(step.image(), step.command(), step.args(), step.environment(), step.secrets(),
                    step.resources(), step.capacity(), step.timeout(), step.retries());
        }
    }

    private static final class Writer {
        private final StringBuilder out = new StringBuilder(256);

        Writer text(String text) {
            if (text == null) {
                out.append('~');
            } else {
                out.append(text.length()).append(':').append(text);
            }
            return this;
        }

        Writer number(long number) {
            out.append(number).append(';');
            return this;
        }

        Writer flag(boolean flag) {
            return number(flag ? 1 : 0);
        }

        /** By its position: any change to an enum changes the checker's version, which drops every kept form. */
        Writer name(Enum<?> constant) {
            return number(constant.ordinal());
        }

        Writer optionalText(Optional<String> text) {
            flag(text.isPresent());
            text.ifPresent(this::text);
            return this;
        }

        Writer texts(List<String> texts) {
            number(texts.size());
            texts.forEach(this::text);
            return this;
        }

        Writer textMap(Map<String, String> map) {
            number(map.size());
            map.forEach((key, value) -> text(key).text(value));
            return this;
        }

        Writer duration(Duration duration) {
            return number(duration.getSeconds()).number(duration.getNano());
        }

        Writer resources(Resources resources) {
            return number(resources.cpu()).number(resources.memory()).number(resources.ephemeralStorageGiB())
                    .name(resources.architecture());
        }

        Writer retries(RetryPolicy retries) {
            number(retries.maxAttempts()).duration(retries.interval())
                    .text(Double.toString(retries.backoffRate())).duration(retries.maxDelay());
            number(retries.retryOn().size());
            retries.retryOn().forEach(this::name);
            number(retries.exitCodes().size());
            retries.exitCodes().forEach(this::number);
            return this;
        }

        Writer triggers(Triggers triggers) {
            number(triggers.schedules().size());
            triggers.schedules().forEach(s -> {
                text(s.expression()).name(s.syntax()).text(s.timeZone().getId()).name(s.misfire()).number(s.maxMisfires())
                        .name(s.concurrency()).flag(s.deadline().isPresent());
                s.deadline().ifPresent(this::duration);
            });
            number(triggers.events().size());
            triggers.events().forEach(e -> text(e.pattern()).textMap(e.parameters()));
            number(triggers.after().size());
            triggers.after().forEach(a -> {
                text(a.job()).number(a.statuses().size());
                a.statuses().forEach(this::name);
                textMap(a.parameters());
            });
            return this;
        }

        Writer container(Container run) {
            return text(run.image()).texts(run.command()).texts(run.args()).textMap(run.environment())
                    .textMap(run.secrets()).resources(run.resources()).name(run.capacity()).duration(run.timeout())
                    .retries(run.retries());
        }

        void step(StepSpec step) {
            text(step.name()).texts(step.dependsOn()).container(Container.of(step));
            number(step.parameters().size());
            step.parameters().forEach((name, value) -> text(name).text(value.text()));
            flag(step.forEach().isPresent());
            step.forEach().ifPresent(each -> {
                flag(each.items().isPresent());
                each.items().ifPresent(ref -> name(ref.source()).text(ref.name()).texts(ref.path()));
                optionalText(each.list()).number(each.maxConcurrency()).number(each.tolerated().count())
                        .number(each.tolerated().percent());
            });
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    private static final class Reader {
        // Each values() call copies its array: these are taken once.
        private static final Capacity[] CAPACITIES = Capacity.values();
        private static final Architecture[] ARCHITECTURES = Architecture.values();
        private static final FailureKind[] FAILURES = FailureKind.values();
        private static final CronSyntax[] SYNTAXES = CronSyntax.values();
        private static final MisfirePolicy[] MISFIRES = MisfirePolicy.values();
        private static final ConcurrencyPolicy[] CONCURRENCIES = ConcurrencyPolicy.values();
        private static final RunEvents.Kind[] STATUSES = RunEvents.Kind.values();
        private static final NotifyOn[] MOMENTS = NotifyOn.values();
        private static final NotifyChannel.Kind[] CHANNELS = NotifyChannel.Kind.values();
        private static final ValueRef.Source[] SOURCES = ValueRef.Source.values();

        private final String in;
        private int position;

        Reader(String in) {
            this.in = in;
        }

        JobSpec spec() {
            String name = text();
            String description = text();
            String owner = text();
            Container run = container();
            List<Parameter> parameters = list(() -> new Parameter(text(), text(), optionalText(), flag()));
            Map<String, String> tags = textMap();
            Triggers triggers = triggers();
            List<StepSpec> steps = flag() ? list(this::step)
                    : List.of(new StepSpec(StepSpec.MAIN, List.of(), run.image(), run.command(), run.args(),
                            run.environment(), run.secrets(), run.resources(), run.capacity(), run.timeout(),
                            run.retries(), Map.of(), Optional.empty()));
            int moments = count();
            Notifications notifications = Notifications.none();
            if (moments > 0) {
                Map<NotifyOn, List<NotifyChannel>> channels = new EnumMap<>(NotifyOn.class);
                for (int i = 0; i < moments; i++) {
                    channels.put(constant(MOMENTS),
                            list(() -> new NotifyChannel(constant(CHANNELS), text())));
                }
                notifications = new Notifications(channels);
            }
            return new JobSpec(name, description, owner, run.image(), run.command(), run.args(), run.environment(),
                    run.secrets(), run.resources(), run.capacity(), run.timeout(), run.retries(), parameters, tags,
                    triggers, steps, notifications);
        }

        private Container container() {
            String image = text();
            // Shared once here: the job and its step (most jobs have one, made of the job's fields) then hold one list.
            List<String> command = SharedValues.texts(texts());
            List<String> args = SharedValues.texts(texts());
            Map<String, String> environment = textMap();
            Map<String, String> secrets = textMap();
            Resources resources = resources();
            Capacity capacity = constant(CAPACITIES);
            return new Container(image, command, args, environment, secrets, resources, capacity, duration(), retries());
        }

        private StepSpec step() {
            String name = text();
            List<String> dependsOn = texts();
            Container run = container();
            Map<String, StepValue> parameters = new LinkedHashMap<>();
            for (int i = count(); i > 0; i--) {
                parameters.put(text(), StepValue.of(text()));
            }
            Optional<ForEach> forEach = flag() ? Optional.of(forEach()) : Optional.empty();
            return new StepSpec(name, dependsOn, run.image(), run.command(), run.args(), run.environment(), run.secrets(),
                    run.resources(), run.capacity(), run.timeout(), run.retries(), parameters, forEach);
        }

        private ForEach forEach() {
            Optional<ValueRef> items = flag()
                    ? Optional.of(new ValueRef(constant(SOURCES), text(), texts())) : Optional.empty();
            Optional<String> list = optionalText();
            int maxConcurrency = integer();
            return new ForEach(items, list, maxConcurrency, new ToleratedFailures(integer(), integer()));
        }

        private Resources resources() {
            return new Resources(integer(), integer(), integer(), constant(ARCHITECTURES));
        }

        private RetryPolicy retries() {
            int maxAttempts = integer();
            Duration interval = duration();
            double rate = Double.parseDouble(text()); // the shortest text that reads back as the same double
            Duration maxDelay = duration();
            Set<FailureKind> retryOn = Set.copyOf(list(() -> constant(FAILURES)));
            Set<Integer> exitCodes = Set.copyOf(list(this::integer));
            return new RetryPolicy(maxAttempts, interval, rate, maxDelay, retryOn, exitCodes);
        }

        private Triggers triggers() {
            List<Schedule> schedules = list(() -> new Schedule(text(), constant(SYNTAXES), ZoneId.of(text()),
                    constant(MISFIRES), integer(), constant(CONCURRENCIES),
                    flag() ? Optional.of(duration()) : Optional.empty()));
            List<EventTrigger> events = list(() -> new EventTrigger(text(), textMap()));
            List<AfterTrigger> after = list(() -> new AfterTrigger(text(), list(() -> constant(STATUSES)),
                    textMap()));
            return new Triggers(schedules, events, after);
        }

        private Duration duration() {
            return Duration.ofSeconds(number(), number());
        }

        private <T> List<T> list(Supplier<T> item) {
            int count = count();
            List<T> items = new ArrayList<>(Math.min(count, 16));
            for (int i = 0; i < count; i++) {
                items.add(item.get());
            }
            return items;
        }

        private List<String> texts() {
            return list(this::text);
        }

        private Map<String, String> textMap() {
            int count = count();
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                map.put(text(), text());
            }
            return map;
        }

        private Optional<String> optionalText() {
            return flag() ? Optional.of(text()) : Optional.empty();
        }

        private <E extends Enum<E>> E constant(E[] constants) {
            return constants[integer()];
        }

        private boolean flag() {
            long flag = number();
            if (flag != 0 && flag != 1) {
                throw new IllegalArgumentException("a flag of " + flag + " at " + position);
            }
            return flag == 1;
        }

        private int count() {
            int count = integer();
            if (count < 0 || count > in.length() - position) {
                throw new IllegalArgumentException("a count of " + count + " at " + position);
            }
            return count;
        }

        private int integer() {
            return Math.toIntExact(number());
        }

        /** Digits up to {@code ;}, read by hand: a substring and a parse per number showed in a start's profile. */
        private long number() {
            return digitsUpTo(';');
        }

        private String text() {
            if (in.charAt(position) == '~') {
                position++;
                return null;
            }
            int length = Math.toIntExact(digitsUpTo(':'));
            if (length < 0 || length > in.length() - position) {
                throw new IllegalArgumentException("a text of " + length + " characters at " + position);
            }
            String text = in.substring(position, position + length);
            position += length;
            return text;
        }

        private long digitsUpTo(char end) {
            boolean negative = in.charAt(position) == '-';
            int at = negative ? position + 1 : position;
            long value = 0;
            int digits = 0;
            for (char c = in.charAt(at); c != end; c = in.charAt(++at)) {
                if (c < '0' || c > '9' || ++digits > 19) {
                    throw new IllegalArgumentException("no number at " + position);
                }
                value = value * 10 + (c - '0');
            }
            if (digits == 0) {
                throw new IllegalArgumentException("no number at " + position);
            }
            position = at + 1;
            return negative ? -value : value;
        }
    }
}
