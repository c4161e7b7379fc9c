package dev.skiff.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Validations;

/**
 * The CDK app: {@code npx cdk synth} in infra/ runs it (see cdk.json). It reads the settings from the context,
 * builds the one stack and checks it with cdk-nag's AWS Solutions rules; an unacknowledged finding fails the synth.
 */
public final class SkiffApp {

    public static final String STACK_ID = "Skiff";

    private SkiffApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app, SkiffSettings.from(app.getNode()::tryGetContext, System.getenv(), Path.of("")));
        app.synth();
    }

    /**
     * aws-cdk-lib behaviours the stack relies on that are off unless an app turns them on. They are set here
     * rather than in cdk.json so that the tests, which build the app without the CLI, get the same template.
     */
    public static final Map<String, Object> FEATURE_FLAGS = Map.of(
            // Server access logs are delivered under a bucket policy instead of the legacy log-delivery ACL.
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    /** The stack, checked by cdk-nag when the app is synthesized. Call before anything else is added to the app. */
    public static SkiffStack build(App app, SkiffSettings settings) {
        FEATURE_FLAGS.forEach(app.getNode()::setContext);
        SkiffStack stack = new SkiffStack(app, STACK_ID, settings);
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        return stack;
    }
}
