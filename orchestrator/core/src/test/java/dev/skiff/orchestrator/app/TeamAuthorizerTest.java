package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.domain.ForbiddenException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.UnauthorizedException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamAuthorizerTest {

    private static final String ANALYTICS_KEY = "k-analytics-0123456789abcdef";
    private static final String BILLING_KEY = "k-billing-0123456789abcdef";

    private final TeamAuthorizer authorizer = TeamAuthorizer.apiKeys(Map.of(
            TeamAuthorizer.sha256Hex(ANALYTICS_KEY), "analytics",
            TeamAuthorizer.sha256Hex(BILLING_KEY).toUpperCase(), "billing"));

    @Test
    void shouldNameTheTeamWhenTheBearerTokenIsAKnownKey() {
        // Given / When / Then (the scheme is case-insensitive, the stored hash's case does not matter)
        assertThat(authorizer.authenticate("Bearer " + ANALYTICS_KEY)).isEqualTo(Caller.team("analytics"));
        assertThat(authorizer.authenticate("bearer " + BILLING_KEY)).isEqualTo(Caller.team("billing"));
    }

    @Test
    void shouldRefuseWhenTheTokenIsMissingUnknownOrNotBearer() {
        // Given / When / Then: 401s that never repeat what was sent
        assertThatThrownBy(() -> authorizer.authenticate(null)).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> authorizer.authenticate("Bearer nope")).isInstanceOf(UnauthorizedException.class)
                .hasMessage("the bearer token is not a known API key");
        assertThatThrownBy(() -> authorizer.authenticate("Basic " + ANALYTICS_KEY))
                .isInstanceOf(UnauthorizedException.class).message().doesNotContain(ANALYTICS_KEY);
    }

    @Test
    void shouldLetOnlyTheOwningTeamChangeAJobWhenKeysAreRequired() {
        // Given two teams
        Caller analytics = authorizer.authenticate("Bearer " + ANALYTICS_KEY);

        // When / Then the owner may, another team may not
        authorizer.requireOwner(analytics, "sales-etl", "analytics", "run");
        assertThatThrownBy(() -> authorizer.requireOwner(analytics, "invoices", "billing", "run"))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("team analytics may not run job invoices: it belongs to team billing");
        assertThatThrownBy(() -> authorizer.requireOwnSpec(analytics, "invoices", "billing"))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("team analytics may not apply job invoices with owner billing: a team applies only specs whose owner it is");
        authorizer.requireOwnSpec(analytics, "sales-etl", "analytics");
    }

    @Test
    void shouldLetAnyoneDoAnythingWhenAuthenticationIsOff() {
        // Given the embedded default's authorizer
        TeamAuthorizer open = TeamAuthorizer.open();

        // When a request comes without a token
        Caller caller = open.authenticate(null);

        // Then it may change any team's job
        assertThat(caller).isEqualTo(Caller.ANYONE);
        open.requireOwner(caller, "invoices", "billing", "run");
        assertThat(open.required()).isFalse();
    }

    @Test
    void shouldRefuseAConfiguredEntryWhenItIsNotASha256Digest() {
        // Given / When / Then: a pasted key is refused without being repeated
        assertThatThrownBy(() -> TeamAuthorizer.apiKeys(Map.of(ANALYTICS_KEY, "analytics")))
                .isInstanceOf(SkiffException.class).message()
                .contains("is not a SHA-256 hex digest").doesNotContain(ANALYTICS_KEY);
        assertThatThrownBy(() -> TeamAuthorizer.apiKeys(Map.of())).isInstanceOf(SkiffException.class);
    }
}
