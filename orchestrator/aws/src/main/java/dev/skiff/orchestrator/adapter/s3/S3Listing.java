package dev.skiff.orchestrator.adapter.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.workflows.RunValues;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A forEach's {@code list: s3://bucket/prefix/}: the objects under the prefix, in key order (ListObjectsV2's order),
 * each {@code {"bucket", "key", "size"}}. The listing stops one object past {@value RunValues#MAX_ITEMS}, so a prefix
 * of millions of objects costs two pages, not thousands.
 */
public final class S3Listing {

    private static final Pattern URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/?(.*)");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final S3Client s3;

    public S3Listing(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * @throws RunValues.UnresolvableException when the location is not an S3 prefix ({@link RunValues.TooManyItemsException}
     *                                         when it holds too many objects)
     */
    public JsonNode items(String location) {
        Matcher uri = URI.matcher(location);
        if (!uri.matches()) {
            throw new RunValues.UnresolvableException("forEach.list: " + location
                    + " is not an S3 prefix (s3://bucket/prefix/), which AWS mode lists");
        }
        String bucket = uri.group(1);
        String prefix = uri.group(2);
        ArrayNode items = JSON.arrayNode();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            var item = items.addObject();
            item.put("bucket", bucket);
            item.put("key", object.key());
            item.put("size", object.size());
            if (items.size() > RunValues.MAX_ITEMS) {
                throw new RunValues.TooManyItemsException("forEach.list " + location + " holds more than "
                        + RunValues.MAX_ITEMS + " objects; a fan-out takes at most " + RunValues.MAX_ITEMS);
            }
        }
        RunValues.checkSize("forEach.list " + location, items);
        return items;
    }
}
