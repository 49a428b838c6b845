package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.io.Npy;
import org.mert4j.testing.HubStandIn;
import org.mert4j.testing.Wav;

/**
 * {@code --model org/name} against a local stand-in of the Hugging Face Hub. The Hub settings are given as system
 * properties, which take precedence over the environment variables of the same names.
 */
class HubModelCommandTest {
    static final String ID = "m-a-p/MERT-v1-95M";

    @TempDir
    Path tmp;

    @AfterEach
    void clearSettings() {
        for (String k : new String[] {"HF_HUB_CACHE", "HF_ENDPOINT", "HF_HUB_OFFLINE"}) {
            System.clearProperty(k);
        }
    }

    private void settings(Map<String, String> values) {
        values.forEach(System::setProperty);
    }

    @Test
    void embedsWithAModelIdThenOfflineWithTheServerGone() throws Exception {
        Path wav = Wav.write(tmp.resolve("song.wav"), 3.0, 24000, 3);
        Path cache = tmp.resolve("hf");
        try (HubStandIn hub = HubStandIn.start().serve(ID, EmbedCommandTest.FIXTURE)) {
            settings(Map.of("HF_HUB_CACHE", cache.toString(), "HF_ENDPOINT", hub.endpoint()));
            Cli.Result r = Cli.run("embed", "--model", ID, "--out", tmp.resolve("a.npy").toString(), wav.toString());
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().contains("model.safetensors"), "no download progress: " + r.err());
        }
        settings(Map.of("HF_HUB_OFFLINE", "1"));
        Cli.Result r = Cli.run("embed", "--model", ID, "--out", tmp.resolve("b.npy").toString(), wav.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Cli.Result byPath = Cli.run("embed", "--model", EmbedCommandTest.FIXTURE.toString(), "--out",
                tmp.resolve("c.npy").toString(), wav.toString());
        assertEquals(0, byPath.exitCode(), byPath.toString());
        assertEquals(Npy.readFloats(tmp.resolve("c.npy")), Npy.readFloats(tmp.resolve("b.npy")));
        assertEquals(Npy.readFloats(tmp.resolve("c.npy")), Npy.readFloats(tmp.resolve("a.npy")));
        Cli.Result info = Cli.run("info", "--model", ID);
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains(ID), info.out());
    }

    @Test
    void unknownIdsAndMissingCachesAreUsageErrorsThatSayWhy() throws Exception {
        try (HubStandIn hub = HubStandIn.start().serve(ID, EmbedCommandTest.FIXTURE)) {
            settings(Map.of("HF_HUB_CACHE", tmp.resolve("hf").toString(), "HF_ENDPOINT", hub.endpoint()));
            Cli.Result r = Cli.run("info", "--model", "m-a-p/no-such-model");
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(r.err().contains("no model repository 'm-a-p/no-such-model'"), r.err());
        }
        settings(Map.of("HF_HUB_OFFLINE", "1"));
        Cli.Result r = Cli.run("info", "--model", ID);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("HF_HUB_OFFLINE") && r.err().contains("not in the Hugging Face cache"), r.err());
        Cli.Result notAnything = Cli.run("info", "--model", "no-such-folder");
        assertEquals(2, notAnything.exitCode(), notAnything.toString());
        assertTrue(notAnything.err().contains("Hub model id"), notAnything.err());
    }
}
