package org.mert4j.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.testing.HubStandIn;

/**
 * A cache that Python's huggingface_hub made (tools/reference/make_hub_cache_fixture.py: hf_hub_download of
 * examples/tiny-mert served as mert4j-test/tiny-mert) is read as it is, and mert4j fills a cache with the very
 * files and links huggingface_hub made. The fixture is read from the source tree, not the test class path, where
 * resource copying would turn its symbolic links into files.
 */
class HubCacheInteropTest {
    static final Path PYTHON_CACHE = Path.of("src/test/resources/hub/python-cache");
    static final Path EXAMPLE = Path.of("../examples/tiny-mert");
    static final String REPO = "mert4j-test/tiny-mert";
    static final String REPO_DIR = "models--mert4j-test--tiny-mert";
    static final List<String> FILES = List.of("config.json", "preprocessor_config.json", "model.safetensors");

    @Test
    void readsTheCacheHuggingFaceHubMadeAsItIs(@TempDir Path tmp) throws Exception {
        Path cache = copyTree(PYTHON_CACHE, tmp.resolve("hub"));
        Map<String, String> before = tree(cache);
        String commit = Files.readString(cache.resolve(REPO_DIR).resolve("refs/main"), StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1",
                "HF_ENDPOINT", "http://127.0.0.1:1");
        HubSettings settings = HubSettings.from(env::get);
        assertTrue(settings.offline());

        Path snapshot = HubModels.locate(REPO, settings, DownloadListener.NONE);
        assertEquals(cache.resolve(REPO_DIR).resolve("snapshots").resolve(commit), snapshot);
        assertEquals(snapshot, HubModels.locate(REPO + "@" + commit, settings, DownloadListener.NONE));
        for (String name : FILES) {
            assertTrue(Files.isSymbolicLink(snapshot.resolve(name)), name + " is not a link as huggingface_hub made it:"
                    + " was the fixture checked out without symbolic links (git config core.symlinks)?");
            assertArrayEquals(Files.readAllBytes(EXAMPLE.resolve(name)), Files.readAllBytes(snapshot.resolve(name)), name);
        }
        // reading wrote nothing: a read-only cache works as well
        assertEquals(before, tree(cache));

        // by id through MertModel, the environment given as system properties, against the same model by path
        float[] audio = new float[12000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(i * 0.031) + 0.1 * Math.sin(i * 0.17));
        }
        FloatArray byId;
        FloatArray byPath;
        Map<String, String> saved = new TreeMap<>();
        for (String k : env.keySet()) {
            saved.put(k, System.getProperty(k));
            System.setProperty(k, env.get(k));
        }
        try (MertModel m = MertModel.load(REPO)) {
            byId = m.hiddenStates(audio, m.sampleRate());
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
        try (MertModel m = MertModel.load(EXAMPLE)) {
            byPath = m.hiddenStates(audio, m.sampleRate());
        }
        assertArrayEquals(byPath.shape(), byId.shape());
        float maxDiff = 0;
        for (int i = 0; i < byPath.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(byPath.data()[i] - byId.data()[i]));
        }
        assertEquals(0f, maxDiff);
        assertEquals(before, tree(cache));
    }

    @Test
    void fillsACacheWithTheFilesAndLinksHuggingFaceHubMakes(@TempDir Path tmp) throws Exception {
        String commit = Files.readString(PYTHON_CACHE.resolve(REPO_DIR).resolve("refs/main"), StandardCharsets.UTF_8);
        try (HubStandIn hub = HubStandIn.start().serve(REPO, EXAMPLE, commit)) {
            // online, from the Python-made cache: the Hub is asked for the commit and nothing is downloaded
            Path pythonCache = copyTree(PYTHON_CACHE, tmp.resolve("python"));
            Path snapshot = HubModels.snapshot(RepoId.parse(REPO), settings(pythonCache, hub.endpoint()),
                    DownloadListener.NONE);
            assertEquals(pythonCache.resolve(REPO_DIR).resolve("snapshots").resolve(commit), snapshot);
            assertTrue(hub.requests().stream().allMatch(r -> r.startsWith("HEAD ")), hub.requests().toString());
            assertEquals(tree(PYTHON_CACHE), tree(pythonCache));

            // into an empty cache: the same blobs, links, refs and lock files as huggingface_hub's
            Path cache = tmp.resolve("mert4j");
            HubModels.snapshot(RepoId.parse(REPO), settings(cache, hub.endpoint()), DownloadListener.NONE);
            Map<String, String> expected = tree(PYTHON_CACHE);
            expected.remove("CACHEDIR.TAG"); // a marker for backup tools, not part of the layout
            // huggingface_hub was also asked for a file the repository lacks; mert4j asked for none
            expected.keySet().removeIf(k -> k.startsWith(REPO_DIR + "/.no_exist/"));
            assertEquals(expected, tree(cache));
        }
    }

    private static HubSettings settings(Path cache, String endpoint) {
        return new HubSettings(cache, URI.create(endpoint), null, false, 0, Duration.ZERO);
    }

    /** Each file under {@code root}: a link's target, or a regular file's size and sha256. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "-> " + Files.readSymbolicLink(p).toString().replace('\\', '/'));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, Files.size(p) + " bytes, sha256 " + HubClient.sha256(p));
                }
            }
        }
        return out;
    }

    /** Copies a folder as it is: symbolic links as links with the same (relative) targets. */
    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(dst, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return to;
    }
}
