package dev.skiff.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One EventBridge event as text, as the intake holds it before (and instead of) reading its tree: what
 * {@link EventRouter#route(EventText)} matches, and reads the parameters of matching triggers from, without a tree.
 *
 * <p>The values read are those of the tree the intake would make of the text with {@code mapper}: its top-level
 * {@code id} replaced by {@code id}, and an empty {@code detail} when it has none. The text must be JSON that
 * {@code mapper} reads, and give no key twice in one object (the tree would keep the last value).
 *
 * @param text   the event's JSON text, an object
 * @param id     the id the intake gave the event (its own, or one chosen for it)
 * @param mapper the reader of the tree the values must equal
 */
public record EventText(String text, String id, ObjectMapper mapper) {
}
