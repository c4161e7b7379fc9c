package dev.skiff.orchestrator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The AWS SDK clients, built only when something needs them, so the embedded default never looks for a
 * region or credentials. The SQS client is a bean of its own, since SmallRye's SQS connector looks it up as one
 * (and loads its type whatever the mode); the others are reached through {@link AwsClients}, so that embedded mode
 * does not even load their classes.
 */
@ApplicationScoped
class AwsClientProducers {

    @Produces
    @Singleton
    SqsAsyncClient sqs(AwsConfig aws) {
        return AwsClients.sqs(aws);
    }

    void close(@Disposes SqsAsyncClient sqs) {
        sqs.close();
    }

    @Produces
    @Singleton
    AwsClients clients(AwsConfig aws) {
        return new AwsClients(aws);
    }

    void close(@Disposes AwsClients clients) {
        clients.close();
    }
}
