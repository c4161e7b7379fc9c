package dev.skiff.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The app synthesized once per set of context values and shared by the test classes (jsii and a synthesis take
 * seconds). Synthesis runs the cdk-nag plugin, so a stack with an unacknowledged finding fails here already.
 */
final class Synthesized {

    static final String REGION = "eu-central-1";
    static final String IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/skiff:0.1.0";
    static final Map<String, Object> BASE_CONTEXT = Map.of(
            SkiffSettings.REGION, REGION,
            SkiffSettings.ORCHESTRATOR_IMAGE, IMAGE,
            // Validation failures throw with the whole report in the message.
            "@aws-cdk/core:appMode", "inmemory");
    static final ObjectMapper JSON = new ObjectMapper();

    private static Synthesized defaultStack;

    final SkiffStack stack;
    final Path outdir;
    final JsonNode template;

    private Synthesized(SkiffStack stack, Path outdir, JsonNode template) {
        this.stack = stack;
        this.outdir = outdir;
        this.template = template;
    }

    /** The teams of the default stack's context: each gets its own job execution role. */
    static final List<String> TEAMS = List.of("analytics", "billing");

    /** The stack with a new VPC, every default, and two teams. */
    static synchronized Synthesized defaultStack() {
        if (defaultStack == null) {
            defaultStack = synthesize("default", Map.of(SkiffSettings.TEAMS, String.join(",", TEAMS)));
        }
        return defaultStack;
    }

    static Synthesized synthesize(String name, Map<String, Object> context) {
        try {
            Path outdir = Path.of("target", "test-synth", name).toAbsolutePath();
            Files.createDirectories(outdir);
            Map<String, Object> all = new HashMap<>(BASE_CONTEXT);
            all.putAll(context);
            App app = App.Builder.create().outdir(outdir.toString()).context(all).build();
            SkiffStack stack = SkiffApp.build(app, SkiffSettings.from(app.getNode()::tryGetContext, Map.of(), Path.of("")));
            app.synth();
            return new Synthesized(stack, outdir, JSON.readTree(outdir.resolve(SkiffApp.STACK_ID + ".template.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For the CDK assertions API. */
    @SuppressWarnings("unchecked")
    Template assertions() {
        return Template.fromJSON(JSON.convertValue(template, Map.class));
    }

    JsonNode resources() {
        return template.get("Resources");
    }

    String logicalId(IConstruct construct) {
        IConstruct element = construct instanceof CfnElement ? construct : construct.getNode().getDefaultChild();
        return stack.getLogicalId((CfnElement) element);
    }

    JsonNode resource(IConstruct construct) {
        return resources().get(logicalId(construct));
    }

    JsonNode properties(IConstruct construct) {
        return resource(construct).get("Properties");
    }

    /** The logical ids of the resources of a type. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        }
        return ids;
    }

    /** The statements of the policies attached to a role (its DefaultPolicy), by Sid ({@code #n} without one). */
    Map<String, JsonNode> roleStatements(IConstruct role) {
        String roleId = logicalId(role);
        Map<String, JsonNode> bySid = new HashMap<>();
        for (String policyId : ofType("AWS::IAM::Policy")) {
            JsonNode policy = resources().get(policyId).get("Properties");
            boolean attached = false;
            for (JsonNode ref : policy.path("Roles")) {
                attached |= roleId.equals(ref.path("Ref").asText());
            }
            if (attached) {
                for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                    bySid.put(statement.has("Sid") ? statement.get("Sid").asText() : "#" + bySid.size(), statement);
                }
            }
        }
        return bySid;
    }
}
