package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** An event the router matches, as a stream of tokens read anew on each call: its text, or its tree. */
@FunctionalInterface
interface EventRouterTokens {

    JsonParser parser() throws IOException;
}
