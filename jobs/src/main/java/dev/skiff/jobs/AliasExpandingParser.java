package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives a YAML document's aliases ({@code *name}) the value of their anchor ({@code &name}), as YAML means them.
 * Jackson's YAML parser reads only snakeyaml's events and hands an alias on as a string holding the anchor's name, so
 * {@code team: *owner} read as {@code team: "owner"}, silently, and an alias to a mapping failed as "must be a mapping".
 * (It tells a scalar's anchor only through {@link AnchorsYamlFactory}'s parsers.)
 * This parser records each anchored value's tokens as they pass and plays them again where an alias names it.
 *
 * <p>Since an alias repeats what it names, a small document could grow huge ("billion laughs": each anchor holding
 * aliases of the one before). The parser refuses more than {@code maxAliases} aliases, more than
 * {@code maxExpandedTokens} tokens played again in all, and nesting deeper than {@code maxDepth} with the aliases
 * expanded (the YAML parser's own depth limit sees only the written text). An alias naming no anchor before it is
 * refused too (Jackson refuses one used as a key). Each refusal is a parse error at the alias's line and column.
 */
final class AliasExpandingParser extends JsonParserDelegate {

    private final YAMLParser yaml;
    private final int maxAliases;
    private final int maxExpandedTokens;
    private final int maxDepth;
    private final Map<String, TokenBuffer> anchors = new HashMap<>();
    /** The anchored collections being read: each collects the tokens until its end. */
    private final List<Recording> recordings = new ArrayList<>();
    private int aliases;
    private int expandedTokens;
    private int depth;

    private static final class Recording {
        final String anchor;
        final TokenBuffer tokens;
        int depth;

        Recording(String anchor, TokenBuffer tokens) {
            this.anchor = anchor;
            this.tokens = tokens;
        }
    }

    AliasExpandingParser(YAMLParser yaml, int maxAliases, int maxExpandedTokens, int maxDepth) {
        super(yaml);
        this.yaml = yaml;
        this.maxAliases = maxAliases;
        this.maxExpandedTokens = maxExpandedTokens;
        this.maxDepth = maxDepth;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = null;
        if (delegate != yaml) {
            token = delegate.nextToken();
            if (token == null) {
                delegate = yaml; // the alias is played out: read on after it
            } else if (++expandedTokens > maxExpandedTokens) {
                throw refusal("the aliases expand to more than " + maxExpandedTokens + " values");
            }
        }
        if (token == null) {
            token = yaml.nextToken();
            if (token != null && yaml.isCurrentAlias()) {
                token = playAlias(token);
            } else if (token != null) {
                anchor(token);
            }
        }
        if (token != null) {
            record(token);
        }
        return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        if (currentToken() != JsonToken.START_OBJECT && currentToken() != JsonToken.START_ARRAY) {
            return this;
        }
        int open = 1;
        while (open > 0) {
            JsonToken token = nextToken();
            if (token == null) {
                return this;
            }
            if (token.isStructStart()) {
                open++;
            } else if (token.isStructEnd()) {
                open--;
            }
        }
        return this;
    }

    /** Starts playing the tokens of the anchor the alias names; its first token. */
    private JsonToken playAlias(JsonToken token) throws IOException {
        String name = yaml.getText();
        TokenBuffer named = anchors.get(name);
        if (named == null) {
            throw refusal("the alias *" + name + " names no anchor (&" + name + ") written before it");
        }
        if (++aliases > maxAliases) {
            throw refusal("more than " + maxAliases + " aliases");
        }
        delegate = named.asParser();
        JsonToken first = delegate.nextToken();
        expandedTokens++;
        return first;
    }

    /** Starts recording a value that carries an anchor (a whole collection, or one scalar). */
    private void anchor(JsonToken token) throws IOException {
        String name = yaml.getCurrentAnchor();
        if (name == null || token == JsonToken.FIELD_NAME) {
            return;
        }
        if (token.isStructStart()) {
            recordings.add(new Recording(name, new TokenBuffer(yaml, null)));
        } else if (token.isScalarValue()) {
            TokenBuffer scalar = new TokenBuffer(yaml, null);
            scalar.copyCurrentEvent(yaml);
            anchors.put(name, scalar);
        }
    }

    /** Adds the token to each anchored collection being read, and closes those it ends. */
    private void record(JsonToken token) throws IOException {
        if (token.isStructStart() && ++depth > maxDepth) {
            throw refusal("nests deeper than " + maxDepth + " levels with its aliases expanded");
        }
        if (token.isStructEnd()) {
            depth--;
        }
        for (int i = recordings.size() - 1; i >= 0; i--) {
            Recording recording = recordings.get(i);
            recording.tokens.copyCurrentEvent(delegate);
            if (token.isStructStart()) {
                recording.depth++;
            } else if (token.isStructEnd() && --recording.depth == 0) {
                anchors.put(recording.anchor, recording.tokens);
                recordings.remove(i);
            }
        }
    }

    private JsonParseException refusal(String message) {
        return new JsonParseException(yaml, message);
    }
}
