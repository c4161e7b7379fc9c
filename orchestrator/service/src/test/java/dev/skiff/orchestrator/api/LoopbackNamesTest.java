package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackNamesTest {

    @Test
    void shouldAcceptOnlyLoopbackNamesAndAddressesWithAnOptionalPortWhenReadingAHostHeader() {
        // Given / When / Then: every address the startup check calls loopback is answered (127.0.0.2 too)
        assertThat(new String[] {"localhost", "LocalHost:8080", "127.0.0.1", "127.0.0.1:65535", "[::1]", "[::1]:80",
                "127.0.0.2", "127.1.2.3:8080"})
                .allMatch(LoopbackNames::isLoopbackHost)
                .allMatch(host -> LoopbackNames.isLoopbackAddress(host.replaceFirst(":[0-9]+$", "")));
        assertThat(new String[] {"attacker.example", "localhost.attacker.example", "127.0.0.1.attacker.example", "127.0.0.1:",
                "127.0.0.1:80:80", "localhost:x", "::1", "[::1]x", "0.0.0.0", "", " "})
                .noneMatch(LoopbackNames::isLoopbackHost);
        assertThat(LoopbackNames.isLoopbackHost(null)).isFalse();
    }

    @Test
    void shouldAcceptOnlyPagesOfThisMachineWhenReadingAnOrigin() {
        // Given / When / Then
        assertThat(new String[] {"http://localhost:3000", "https://127.0.0.1", "http://[::1]:8080"})
                .allMatch(LoopbackNames::isLoopbackOrigin);
        assertThat(new String[] {"null", "https://attacker.example", "http://localhost.attacker.example",
                "file://", "ftp://localhost", "http://user@localhost", "http://localhost/path", "not a uri"})
                .noneMatch(LoopbackNames::isLoopbackOrigin);
    }
}
