package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.ForbiddenException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may do what through the API. With API keys, every request names a team by its bearer token, and a team
 * changes, runs and cancels only the jobs it owns (the spec's {@code owner}); reading is open to every team.
 * Without, every caller may do everything (the embedded default, which serves 127.0.0.1 only).
 *
 * <p>Keys are kept as the SHA-256 of the key, never the key: API keys are random (32 bytes from
 * {@code openssl rand -hex 32}), so a fast hash cannot be brute-forced, and it lets a request be checked
 * with one hash and one lookup instead of a deliberately slow PBKDF2 on every call.
 */
public final class TeamAuthorizer {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String BEARER = "bearer ";

    private final boolean required;
    private final Map<String, String> teamsByKeyHash;

    private TeamAuthorizer(boolean required, Map<String, String> teamsByKeyHash) {
        this.required = required;
        this.teamsByKeyHash = Map.copyOf(teamsByKeyHash);
    }

    /** Every caller may do everything. */
    public static TeamAuthorizer open() {
        return new TeamAuthorizer(false, Map.of());
    }

    /** Callers need a key whose SHA-256 (lowercase hex) is one of {@code teamsByKeyHash}'s keys. */
    public static TeamAuthorizer apiKeys(Map<String, String> teamsByKeyHash) {
        if (teamsByKeyHash.isEmpty()) {
            throw new SkiffException("skiff.auth.api-keys: at least one key is needed with skiff.auth.mode=api-keys"
                    + " (skiff.auth.api-keys.\"<sha256 hex of the key>\"=<team>, or skiff.auth.api-keys-file)");
        }
        var normalized = new java.util.HashMap<String, String>();
        teamsByKeyHash.forEach((hash, team) -> {
            String lower = hash.toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(lower).matches()) {
                // Not the hash: it may be a key pasted by mistake, so it is not repeated here.
                throw new SkiffException("skiff.auth.api-keys: an entry for team " + team
                        + " is not a SHA-256 hex digest (64 hex digits); store the key's hash, never the key");
            }
            if (team == null || team.isBlank()) {
                throw new SkiffException("skiff.auth.api-keys: an entry names no team");
            }
            normalized.put(lower, team.trim());
        });
        return new TeamAuthorizer(true, normalized);
    }

    public boolean required() {
        return required;
    }

    /** The caller named by an {@code Authorization} header (null when absent). */
    public Caller authenticate(String authorization) {
        if (!required) {
            return Caller.ANYONE;
        }
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthorizedException("this API needs a bearer token: send Authorization: Bearer <api key>");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthorizedException("the Authorization header must be Bearer <api key>");
        }
        String team = teamsByKeyHash.get(sha256Hex(authorization.substring(BEARER.length()).trim()));
        if (team == null) {
            throw new UnauthorizedException("the bearer token is not a known API key");
        }
        return Caller.team(team);
    }

    /** Refuses a change to (or a run or cancel of) job {@code job} owned by {@code owner}, unless the caller is that team. */
    public void requireOwner(Caller caller, String job, String owner, String action) {
        if (caller.team().isPresent() && !caller.team().get().equals(owner)) {
            throw new ForbiddenException("team " + caller.team().get() + " may not " + action + " job " + job
                    + ": it belongs to team " + owner);
        }
    }

    /** Refuses a spec for job {@code job} whose {@code owner} is not the caller's team: a team applies only its own specs. */
    public void requireOwnSpec(Caller caller, String job, String owner) {
        if (caller.team().isPresent() && !caller.team().get().equals(owner)) {
            throw new ForbiddenException("team " + caller.team().get() + " may not apply job " + job + " with owner "
                    + owner + ": a team applies only specs whose owner it is");
        }
    }

    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
