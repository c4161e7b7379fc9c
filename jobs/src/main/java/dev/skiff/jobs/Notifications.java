package dev.skiff.jobs;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A job's {@code notify} section: for each moment, the channels told of it. */
public record Notifications(Map<NotifyOn, List<NotifyChannel>> channels) {

    public Notifications {
        var copy = new EnumMap<NotifyOn, List<NotifyChannel>>(NotifyOn.class);
        channels.forEach((on, list) -> {
            if (!list.isEmpty()) {
                copy.put(on, List.copyOf(list));
            }
        });
        channels = java.util.Collections.unmodifiableMap(copy);
    }

    /** Shared: most jobs notify no one, and 100,000 empty maps were worth avoiding. */
    private static final Notifications NONE = new Notifications(Map.of());

    public static Notifications none() {
        return NONE;
    }

    public List<NotifyChannel> on(NotifyOn moment) {
        return channels.getOrDefault(moment, List.of());
    }

    /** These channels as logs and the API may show them ({@link NotifyChannel#shown()}): no webhook's path or token. */
    public Notifications shown() {
        var shown = new EnumMap<NotifyOn, List<NotifyChannel>>(NotifyOn.class);
        channels.forEach((on, list) -> shown.put(on, list.stream()
                .map(c -> new NotifyChannel(c.kind(), c.shown())).toList()));
        return new Notifications(shown);
    }

    public boolean isEmpty() {
        return channels.isEmpty();
    }
}
