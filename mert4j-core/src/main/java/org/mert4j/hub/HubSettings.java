package org.mert4j.hub;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where models come from and go, read from the environment as huggingface_hub reads it:
 * {@code HF_HUB_CACHE} (else {@code HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 * {@code ~/.cache/huggingface/hub}), {@code HF_ENDPOINT} (default {@code https://huggingface.co}),
 * {@code HF_TOKEN} (else the token file {@code huggingface-cli login} wrote), {@code HF_HUB_OFFLINE} and
 * {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds, default 10, as huggingface_hub).
 * A Java system property of the same name takes precedence over the variable, for JVMs whose environment
 * the caller does not control (a Spark executor, a test).
 *
 * @param retries   how often a broken download is resumed within one run before giving up
 * @param retryWait the pause before each resumption
 * @param readTimeout how long a download may receive nothing before it counts as broken off (then resumed)
 */
public record HubSettings(Path cache, URI endpoint, String token, boolean offline, int retries, Duration retryWait,
        Duration readTimeout) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** huggingface_hub's default for {@code HF_HUB_DOWNLOAD_TIMEOUT}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("the read timeout must be positive, not " + readTimeout);
        }
    }

    /** Settings with the default read timeout. */
    public HubSettings(Path cache, URI endpoint, String token, boolean offline, int retries, Duration retryWait) {
        this(cache, endpoint, token, offline, retries, retryWait, DEFAULT_READ_TIMEOUT);
    }

    public static HubSettings fromEnvironment() {
        return from(name -> {
            String p = System.getProperty(name);
            return p != null ? p : System.getenv(name);
        });
    }

    /** The settings given {@code lookup} from variable name to value (null when unset). */
    public static HubSettings from(UnaryOperator<String> lookup) {
        Path home = Path.of(System.getProperty("user.home"));
        String xdg = nonBlank(lookup.apply("XDG_CACHE_HOME"));
        Path hfHome = nonBlank(lookup.apply("HF_HOME")) != null ? expand(lookup.apply("HF_HOME"), home)
                : (xdg != null ? expand(xdg, home) : home.resolve(".cache")).resolve("huggingface");
        String cacheVar = nonBlank(lookup.apply("HF_HUB_CACHE"));
        if (cacheVar == null) {
            cacheVar = nonBlank(lookup.apply("HUGGINGFACE_HUB_CACHE")); // the older name, still honoured
        }
        Path cache = cacheVar != null ? expand(cacheVar, home) : hfHome.resolve("hub");
        String endpoint = nonBlank(lookup.apply("HF_ENDPOINT"));
        URI uri = URI.create((endpoint != null ? endpoint : DEFAULT_ENDPOINT).replaceAll("/+$", ""));
        String token = nonBlank(lookup.apply("HF_TOKEN"));
        if (token == null) {
            String tokenPath = nonBlank(lookup.apply("HF_TOKEN_PATH"));
            token = readToken(tokenPath != null ? expand(tokenPath, home) : hfHome.resolve("token"));
        }
        String offline = nonBlank(lookup.apply("HF_HUB_OFFLINE"));
        if (offline == null) {
            offline = nonBlank(lookup.apply("TRANSFORMERS_OFFLINE"));
        }
        boolean isOffline = offline != null && TRUE.contains(offline.strip().toUpperCase(Locale.ROOT));
        return new HubSettings(cache, uri, token, isOffline, 5, Duration.ofSeconds(1),
                seconds("HF_HUB_DOWNLOAD_TIMEOUT", nonBlank(lookup.apply("HF_HUB_DOWNLOAD_TIMEOUT"))));
    }

    public HubSettings withOffline(boolean value) {
        return new HubSettings(cache, endpoint, token, value, retries, retryWait, readTimeout);
    }

    public HubSettings withRetries(int count, Duration wait) {
        return new HubSettings(cache, endpoint, token, offline, count, wait, readTimeout);
    }

    public HubSettings withReadTimeout(Duration value) {
        return new HubSettings(cache, endpoint, token, offline, retries, retryWait, value);
    }

    private static Duration seconds(String name, String value) {
        if (value == null) {
            return DEFAULT_READ_TIMEOUT;
        }
        try {
            double s = Double.parseDouble(value);
            if (s > 0 && s <= 1e6) {
                return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + "='" + value + "': expected a positive number of seconds");
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Path expand(String path, Path home) {
        return path.equals("~") ? home : path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private static String readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? nonBlank(Files.readString(file)) : null;
        } catch (java.io.IOException e) {
            return null; // an unreadable token file is as good as none: public models still download
        }
    }

    @Override
    public String toString() { // never print the token
        return "HubSettings[cache=" + cache + ", endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set")
                + ", offline=" + offline + ", readTimeout=" + readTimeout + "]";
    }
}
