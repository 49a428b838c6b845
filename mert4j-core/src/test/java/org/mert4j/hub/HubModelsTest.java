package org.mert4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.io.StateDict;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.testing.HubStandIn;

/** Model ids against a local stand-in of the Hub: downloads, the cache layout, offline use, errors, resumption. */
class HubModelsTest {
    static final Path MODEL = Path.of("src/test/resources/model/postln-group");
    static final String REPO = "m-a-p/tiny-test";

    private static HubSettings settings(Path cache, String endpoint) {
        return new HubSettings(cache, URI.create(endpoint), null, false, 0, Duration.ZERO);
    }

    @Test
    void resolvesAnIdThroughTheCacheAndAgainOfflineWithTheServerGone(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("hub");
        Path snapshot;
        String commit;
        try (HubStandIn hub = HubStandIn.start().serve(REPO, MODEL)) {
            commit = hub.commit(REPO);
            snapshot = HubModels.snapshot(RepoId.parse(REPO), settings(cache, hub.endpoint()), DownloadListener.NONE);
            // only what a model needs came: not the fixture's other files (input.npy, hidden_states.npy)
            assertTrue(hub.requests().stream().noneMatch(r -> r.contains(".npy")), hub.requests().toString());
            // the weights came from the "CDN" the Hub redirects to
            assertTrue(hub.requests().stream().anyMatch(r -> r.startsWith("GET /cdn/")), hub.requests().toString());
            String etag = hub.file(REPO, "model.safetensors").etag();
            Path repoDir = cache.resolve("models--m-a-p--tiny-test");
            // huggingface_hub's layout, so that Python reads it: refs, blobs by etag, relative links
            assertEquals(commit, Files.readString(repoDir.resolve("refs/main"), StandardCharsets.UTF_8));
            assertEquals(repoDir.resolve("snapshots").resolve(commit), snapshot);
            assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(snapshot.resolve("model.safetensors")));
            assertEquals(Path.of("../../blobs/" + hub.file(REPO, "config.json").etag()),
                    Files.readSymbolicLink(snapshot.resolve("config.json")));
            assertEquals(etag, HubClient.sha256(repoDir.resolve("blobs").resolve(etag)));
            try (var blobs = Files.list(repoDir.resolve("blobs"))) {
                assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")));
            }
        }
        // the server is gone: offline mode reads the cache alone
        Path offline = HubModels.snapshot(RepoId.parse(REPO), settings(cache, "http://127.0.0.1:1").withOffline(true),
                DownloadListener.NONE);
        assertEquals(snapshot, offline);
        // online but unreachable: the complete cached snapshot is used, with a warning
        List<String> warnings = new ArrayList<>();
        Path fallback = HubModels.snapshot(RepoId.parse(REPO), settings(cache, "http://127.0.0.1:1"), warnings(warnings));
        assertEquals(snapshot, fallback);
        assertTrue(warnings.get(0).contains("cannot reach"), warnings.toString());
        // a pinned commit needs no request at all
        assertEquals(snapshot, HubModels.snapshot(RepoId.parse(REPO + "@" + commit), settings(cache, "http://127.0.0.1:1"),
                DownloadListener.NONE));

        float[] audio = new float[16000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) Math.sin(i * 0.05) * 0.3f;
        }
        try (MertModel byId = MertModel.load(snapshot); MertModel byPath = MertModel.load(MODEL)) {
            FloatArray a = byId.hiddenStates(audio, byId.sampleRate());
            FloatArray b = byPath.hiddenStates(audio, byPath.sampleRate());
            assertEquals(b, a);
        }
    }

    @Test
    void readsACacheLaidOutByHuggingFaceHubAsItIs(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("hub");
        try (HubStandIn hub = HubStandIn.start().serve(REPO, MODEL)) {
            String commit = hub.commit(REPO);
            // what huggingface_hub leaves: blobs named by etag, relative links in the snapshot, refs/main
            Path repoDir = cache.resolve("models--m-a-p--tiny-test");
            Files.createDirectories(repoDir.resolve("blobs"));
            Path snap = Files.createDirectories(repoDir.resolve("snapshots").resolve(commit));
            for (String name : List.of("config.json", "preprocessor_config.json", "model.safetensors")) {
                HubStandIn.Served f = hub.file(REPO, name);
                Files.write(repoDir.resolve("blobs").resolve(f.etag()), f.bytes());
                Files.createSymbolicLink(snap.resolve(name), Path.of("../../blobs").resolve(f.etag()));
            }
            Files.createDirectories(repoDir.resolve("refs"));
            Files.writeString(repoDir.resolve("refs/main"), commit);

            Path offline = HubModels.snapshot(RepoId.parse(REPO), settings(cache, hub.endpoint()).withOffline(true),
                    DownloadListener.NONE);
            assertEquals(snap, offline);
            assertTrue(hub.requests().isEmpty(), hub.requests().toString());
            // online: the Hub is asked which commit main is, and nothing is downloaded again
            assertEquals(snap, HubModels.snapshot(RepoId.parse(REPO), settings(cache, hub.endpoint()), DownloadListener.NONE));
            assertTrue(hub.requests().stream().allMatch(r -> r.startsWith("HEAD ")), hub.requests().toString());
            try (MertModel m = MertModel.load(offline)) {
                assertEquals(24000, m.sampleRate());
            }
        }
    }

    @Test
    void aBrokenDownloadResumesWithARangeRequest(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("hub");
        try (HubStandIn hub = HubStandIn.start().serve(REPO, MODEL).cutOnce(REPO, "model.safetensors", 1000)) {
            HubException e = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse(REPO),
                    settings(cache, hub.endpoint()), DownloadListener.NONE));
            assertEquals(HubException.Kind.NETWORK, e.kind());
            assertTrue(e.getMessage().contains("run the command again"), e.getMessage());
            String etag = hub.file(REPO, "model.safetensors").etag();
            Path repoDir = cache.resolve("models--m-a-p--tiny-test");
            assertEquals(1000, Files.size(repoDir.resolve("blobs").resolve(etag + ".incomplete")));
            // never a half file in the snapshot
            assertFalse(Files.exists(repoDir.resolve("snapshots").resolve(hub.commit(REPO)).resolve("model.safetensors")));

            Path snapshot = HubModels.snapshot(RepoId.parse(REPO), settings(cache, hub.endpoint()), DownloadListener.NONE);
            assertTrue(hub.requests().contains("GET /cdn/" + etag + " range=bytes=1000-"), hub.requests().toString());
            assertEquals(etag, HubClient.sha256(snapshot.resolve("model.safetensors")));
            assertFalse(Files.exists(repoDir.resolve("blobs").resolve(etag + ".incomplete")));
        }
    }

    @Test
    void aCutWithinOneRunIsResumedThere(@TempDir Path tmp) throws Exception {
        try (HubStandIn hub = HubStandIn.start().serve(REPO, MODEL).cutOnce(REPO, "model.safetensors", 4096)) {
            List<String> warnings = new ArrayList<>();
            Path snapshot = HubModels.snapshot(RepoId.parse(REPO), settings(tmp, hub.endpoint())
                    .withRetries(2, Duration.ZERO), warnings(warnings));
            assertEquals(hub.file(REPO, "model.safetensors").etag(), HubClient.sha256(snapshot.resolve("model.safetensors")));
            assertTrue(warnings.get(0).contains("resuming"), warnings.toString());
        }
    }

    @Test
    void bytesThatDoNotMatchTheSha256AreThrownAway(@TempDir Path tmp) throws Exception {
        try (HubStandIn hub = HubStandIn.start().serve(REPO, MODEL)) {
            HubStandIn.Served weights = hub.file(REPO, "model.safetensors");
            Path incomplete = tmp.resolve("models--m-a-p--tiny-test/blobs").resolve(weights.etag() + ".incomplete");
            Files.createDirectories(incomplete.getParent());
            Files.write(incomplete, new byte[weights.bytes().length - 10]); // zeros: a damaged earlier attempt
            HubException e = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse(REPO),
                    settings(tmp, hub.endpoint()), DownloadListener.NONE));
            assertEquals(HubException.Kind.CORRUPT, e.kind());
            assertTrue(e.getMessage().contains("sha256"), e.getMessage());
            assertFalse(Files.exists(incomplete));
            Path snapshot = HubModels.snapshot(RepoId.parse(REPO), settings(tmp, hub.endpoint()), DownloadListener.NONE);
            assertEquals(weights.etag(), HubClient.sha256(snapshot.resolve("model.safetensors")));
        }
    }

    @Test
    void hubErrorsSayWhatIsWrong(@TempDir Path tmp) throws Exception {
        try (HubStandIn hub = HubStandIn.start().serve(REPO, MODEL).serve("org/private", MODEL)
                .requireToken("org/private", "secret")) {
            HubSettings s = settings(tmp, hub.endpoint());
            HubException repo = assertThrows(HubException.class,
                    () -> HubModels.snapshot(RepoId.parse("org/nothing"), s, DownloadListener.NONE));
            assertEquals(HubException.Kind.REPO_NOT_FOUND, repo.kind());
            assertTrue(repo.getMessage().contains("org/nothing") && repo.getMessage().contains("HF_TOKEN"),
                    repo.getMessage());
            HubException rev = assertThrows(HubException.class,
                    () -> HubModels.snapshot(RepoId.parse(REPO + "@v9"), s, DownloadListener.NONE));
            assertEquals(HubException.Kind.REVISION_NOT_FOUND, rev.kind());
            assertTrue(rev.getMessage().contains("'v9'"), rev.getMessage());
            HubException auth = assertThrows(HubException.class,
                    () -> HubModels.snapshot(RepoId.parse("org/private"), s, DownloadListener.NONE));
            assertEquals(HubException.Kind.UNAUTHORIZED, auth.kind());
            assertTrue(auth.getMessage().contains("401") && auth.getMessage().contains("HF_TOKEN"), auth.getMessage());

            HubSettings withToken = new HubSettings(tmp, URI.create(hub.endpoint()), "secret", false, 0, Duration.ZERO);
            int before = hub.requests().size();
            Path snap = HubModels.snapshot(RepoId.parse("org/private"), withToken, DownloadListener.NONE);
            assertTrue(Files.isRegularFile(snap.resolve("model.safetensors")));
            // the token goes to the Hub, never to the storage a redirect points at
            List<String> sent = hub.requests().subList(before, hub.requests().size());
            assertTrue(sent.stream().filter(r -> r.contains("/org/private/")).allMatch(r -> r.endsWith(" auth")), sent.toString());
            assertTrue(sent.stream().anyMatch(r -> r.startsWith("GET /cdn/")), sent.toString());
            assertTrue(sent.stream().filter(r -> r.startsWith("GET /cdn/")).noneMatch(r -> r.endsWith(" auth")), sent.toString());
        }
    }

    @Test
    void offlineOrUnreachableWithoutACacheSaysWhatIsMissing(@TempDir Path tmp) {
        HubException offline = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse(REPO),
                settings(tmp, "http://127.0.0.1:1").withOffline(true), DownloadListener.NONE));
        assertEquals(HubException.Kind.NOT_CACHED, offline.kind());
        assertTrue(offline.getMessage().contains("refs/main") && offline.getMessage().contains("HF_HUB_OFFLINE"),
                offline.getMessage());
        HubException down = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse(REPO),
                settings(tmp, "http://127.0.0.1:1"), DownloadListener.NONE));
        assertEquals(HubException.Kind.NETWORK, down.kind());
        assertTrue(down.getMessage().contains("HF_ENDPOINT") && down.getMessage().contains("HF_HUB_OFFLINE"),
                down.getMessage());
    }

    @Test
    void aShardedCheckpointComesWithItsShards(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("sharded"));
        for (String f : List.of("config.json", "preprocessor_config.json")) {
            Files.copy(MODEL.resolve(f), folder.resolve(f));
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        try (StateDict all = SafetensorsReader.read(MODEL.resolve("model.safetensors"))) {
            List<String> names = all.names();
            for (int part = 0; part < 2; part++) {
                String shard = String.format("model-%05d-of-00002.safetensors", part + 1);
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                for (int i = part; i < names.size(); i += 2) {
                    tensors.put(names.get(i), all.get(names.get(i)));
                    weightMap.put(names.get(i), shard);
                }
                SafetensorsWriter.write(folder.resolve(shard), tensors, Map.of("format", "pt"));
            }
        }
        Files.writeString(folder.resolve("model.safetensors.index.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(Map.of("metadata", Map.of(), "weight_map", weightMap)));
        try (HubStandIn hub = HubStandIn.start().serve("org/sharded", folder)) {
            Path snap = HubModels.snapshot(RepoId.parse("org/sharded"), settings(tmp.resolve("hub"), hub.endpoint()),
                    DownloadListener.NONE);
            assertTrue(Files.isRegularFile(snap.resolve("model-00002-of-00002.safetensors")));
            // model.safetensors and the index were asked for in that order; the .bin variants never
            assertTrue(hub.requests().stream().noneMatch(r -> r.contains("pytorch_model")), hub.requests().toString());
            assertTrue(Files.exists(tmp.resolve("hub/models--org--sharded/.no_exist").resolve(hub.commit("org/sharded"))
                    .resolve("model.safetensors")));
            float[] audio = new float[8000];
            audio[100] = 0.5f;
            try (MertModel a = MertModel.load(snap); MertModel b = MertModel.load(MODEL)) {
                assertEquals(b.hiddenStates(audio, 16000), a.hiddenStates(audio, 16000));
            }
        }
    }

    @Test
    void idsAndSettingsParseLikeHuggingFaceHub() {
        RepoId id = RepoId.parse("m-a-p/MERT-v1-95M@refs/pr/1");
        assertEquals("m-a-p/MERT-v1-95M", id.repo());
        assertEquals("refs/pr/1", id.revision());
        assertEquals("models--m-a-p--MERT-v1-95M", id.folderName());
        assertTrue(RepoId.looksLikeId("m-a-p/MERT-v1-95M"));
        for (String notId : List.of("MERT-v1-95M", "a/b/c", "./x", "/abs/x", "a/b@", "models--a--b")) {
            assertFalse(RepoId.looksLikeId(notId), notId);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HF_HOME", "/data/hf");
        assertEquals(Path.of("/data/hf/hub"), HubSettings.from(env::get).cache());
        env.put("HF_HUB_CACHE", "/fast/cache");
        assertEquals(Path.of("/fast/cache"), HubSettings.from(env::get).cache());
        assertEquals(URI.create("https://huggingface.co"), HubSettings.from(env::get).endpoint());
        assertFalse(HubSettings.from(env::get).offline());
        env.put("HF_HUB_OFFLINE", "yes");
        env.put("HF_ENDPOINT", "https://mirror.example/");
        env.put("HF_TOKEN", "hf_x");
        HubSettings s = HubSettings.from(env::get);
        assertTrue(s.offline());
        assertEquals(URI.create("https://mirror.example"), s.endpoint());
        assertEquals("hf_x", s.token());
        assertFalse(s.toString().contains("hf_x"));
        assertEquals("abc", FileMetadata.normalizeEtag("W/\"abc\""));
        assertEquals("abc", FileMetadata.normalizeEtag("\"abc\""));
    }

    private static DownloadListener warnings(List<String> into) {
        return new DownloadListener() {
            @Override
            public void started(String repo, String file, long size, long resumedFrom) {}

            @Override
            public void progress(long bytes) {}

            @Override
            public void finished() {}

            @Override
            public void warning(String message) {
                into.add(message);
            }
        };
    }

}
