package dev.skiff.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.adapter.sqs.SqsIntakeChannel;
import dev.skiff.orchestrator.adapter.sqs.SqsIntakeHandler;
import dev.skiff.orchestrator.adapter.sqs.SqsIntakeOptions;
import dev.skiff.orchestrator.adapter.sqs.SqsIntakeParts;
import dev.skiff.orchestrator.adapter.sqs.SqsReceiveRequests;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.domain.SkiffException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The SQS intake, from {@code skiff.intake.sqs.*}. These are built only when the intake's channel is on
 * (see application.properties), so a missing queue URL never troubles the embedded default.
 */
@ApplicationScoped
class SqsIntakeProducers {

    @Produces
    @Singleton
    SqsIntakeOptions options(SqsIntakeConfig config) {
        try {
            return new SqsIntakeOptions(config.queueUrl().orElse(null), config.deadLetterQueueUrl().orElse(null),
                    config.maxReceives(), config.visibilityTimeout(), config.retryDelay());
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    SqsIntakeParts parts(SqsAsyncClient sqs, SqsIntakeOptions options, MeterRegistry registry) {
        return SqsIntakeParts.on(sqs, options, registry);
    }

    @Produces
    @Singleton
    SqsIntakeHandler handler(EventIntake intake, ObjectMapper mapper, SqsIntakeParts parts, Clock clock) {
        return new SqsIntakeHandler(intake, mapper, parts, clock);
    }

    /** Found by the connector through its channel's name. */
    @Produces
    @Singleton
    @Identifier(SqsIntakeChannel.CHANNEL)
    SqsReceiveMessageRequestCustomizer receiveRequests(SqsIntakeOptions options) {
        return new SqsReceiveRequests(options.visibilityTimeout());
    }
}
