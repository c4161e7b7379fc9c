package dev.skiff.jobs;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Jackson's YAML factory, whose parsers tell the anchor of a scalar too ({@link YAMLParser#getCurrentAnchor()} names
 * only a mapping's or a list's in Jackson 2.21), so that {@link AliasExpandingParser} can give {@code *team} the value
 * of {@code owner: &team team-a}.
 */
final class AnchorsYamlFactory extends YAMLFactory {

    AnchorsYamlFactory(YAMLFactoryBuilder builder) {
        super(builder);
    }

    @Override
    protected YAMLParser _createParser(Reader reader, IOContext context) {
        return new ScalarAnchorsParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
    }

    @Override
    protected YAMLParser _createParser(char[] data, int offset, int length, IOContext context, boolean recyclable) {
        return _createParser(new CharArrayReader(data, offset, length), context);
    }

    /** A YAML parser that keeps the anchor of the scalar it read last. */
    private static final class ScalarAnchorsParser extends YAMLParser {

        private String scalarAnchor;

        ScalarAnchorsParser(IOContext context, int features, int yamlFeatures, LoaderOptions options, ObjectCodec codec,
                            Reader reader) {
            super(context, features, yamlFeatures, options, codec, reader);
        }

        @Override
        public com.fasterxml.jackson.core.JsonToken nextToken() throws IOException {
            scalarAnchor = null;
            return super.nextToken();
        }

        @Override
        protected com.fasterxml.jackson.core.JsonToken _decodeScalar(ScalarEvent scalar) throws IOException {
            scalarAnchor = scalar.getAnchor();
            return super._decodeScalar(scalar);
        }

        @Override
        public String getCurrentAnchor() {
            return scalarAnchor != null ? scalarAnchor : super.getCurrentAnchor();
        }
    }
}
