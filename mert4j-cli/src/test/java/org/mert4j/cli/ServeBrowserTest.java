package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.serve.AudioRoot;
import org.mert4j.serve.MertServer;
import org.mert4j.serve.ServeSettings;
import org.mert4j.index.VectorIndex;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The page of {@code mert serve} in headless Chromium, driven through chromedriver (Debian's {@code chromium}
 * and {@code chromium-driver}, which {@code .ci/run} installs): upload a file, see the nearest tracks and the
 * map, hover and click a track on it. The screenshot is kept as {@code target/serve-page.png}.
 */
class ServeBrowserTest {
    static final String MODEL = Path.of("..", "examples", "tiny-mert").toString();
    static final Path AUDIO = Path.of("..", "examples", "audio");
    static final Path SCREENSHOT = Path.of("target", "serve-page.png");

    @TempDir
    static Path tmp;
    static MertModel mert;
    static VectorIndex index;
    static MertServer server;

    /** The program named by {@code env}, else the first of {@code names} found on the PATH, else null. */
    static String executable(String env, String... names) {
        String given = System.getenv(env);
        if (given != null && Files.isExecutable(Path.of(given))) {
            return given;
        }
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    static final String CHROMIUM = executable("CHROME_BIN", "chromium", "chromium-browser");
    static final String DRIVER = executable("CHROMEDRIVER", "chromedriver");

    @BeforeAll
    static void start() throws Exception {
        // Selenium warns that it has no DevTools bindings for this Chromium version: not used here
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
        assumeTrue(CHROMIUM != null && DRIVER != null, "Chromium and chromedriver are not installed (apt-get install"
                + " chromium chromium-driver, as .ci/run does): the browser test of the page is skipped");
        Path feats = tmp.resolve("feats");
        Cli.Result e = Cli.run("embed", "--model", MODEL, "--out", feats.toString(), AUDIO.toString());
        assertEquals(0, e.exitCode(), e.toString());
        Path idx = tmp.resolve("idx");
        Cli.Result b = Cli.run("index", "build", "--embeddings", feats.toString(), "--layer", "-1", "--model", MODEL,
                "--out", idx.toString());
        assertEquals(0, b.exitCode(), b.toString());
        mert = MertModel.load(Path.of(MODEL));
        index = VectorIndex.open(idx);
        int[] all = EmbedOptions.MARBLE.resolveLayers(mert.config().numHiddenStates());
        server = MertServer.start(new ServeSettings("127.0.0.1", 0, 8, 10, 50L << 20, 16, null, 5), mert.config(),
                "tiny-mert", (w, pool) -> mert.encodeWindows(w, all, pool), index, new AudioRoot(AUDIO));
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (index != null) {
            index.close();
        }
        if (mert != null) {
            mert.close();
        }
    }

    static ChromeDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // the network is closed in CI: no first-run, sync, update or background traffic to wait for
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static void await(ChromeDriver driver, String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Boolean.TRUE.equals(condition.get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the page says: "
                        + driver.findElement(By.tagName("body")).getText());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void uploadShowsTheNearestTracksAndTheMapAnswersHoverAndClick() throws Exception {
        ChromeDriver driver = browser();
        try {
            JavascriptExecutor js = driver;
            driver.get("http://127.0.0.1:" + server.port() + "/");
            WebElement input = driver.findElement(By.cssSelector("input#file[type=file]"));
            await(driver, "the map", () -> driver.findElement(By.id("map-note")).getText().contains("2 tracks"));
            long drawn = (Long) js.executeScript("const c = document.getElementById('map');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
            assertTrue(drawn > 0, "nothing drawn on the map canvas");

            input.sendKeys(AUDIO.resolve("chords-24k.flac").toRealPath().toString()); // chromedriver wants a canonical path
            await(driver, "the results", () -> !driver.findElements(By.cssSelector("#results li[data-track]")).isEmpty());
            List<WebElement> results = driver.findElements(By.cssSelector("#results li[data-track]"));
            assertEquals(2, results.size());
            assertEquals("chords-24k", results.get(0).getAttribute("data-track")); // the file finds itself
            assertTrue(results.get(0).getText().contains("1.000"), results.get(0).getText());
            assertTrue(driver.findElement(By.id("status")).getText().contains("nearest tracks"));

            // hover names a track, a click plays it and lists its neighbours
            @SuppressWarnings("unchecked")
            List<Number> xy = (List<Number>) js.executeScript("const i = state.keyIndex.get('arpeggio-44k-stereo');"
                    + "const r = document.getElementById('map').getBoundingClientRect();"
                    + "return [state.screen[2 * i] - r.width / 2, state.screen[2 * i + 1] - r.height / 2];");
            WebElement canvas = driver.findElement(By.id("map"));
            new Actions(driver).moveToElement(canvas, xy.get(0).intValue(), xy.get(1).intValue()).perform();
            await(driver, "the tooltip", () -> driver.findElement(By.id("tip")).getText().equals("arpeggio-44k-stereo"));
            new Actions(driver).click().perform();
            await(driver, "the neighbours", () -> driver.findElement(By.id("results-title")).getDomProperty("textContent")
                    .equals("Neighbours of arpeggio-44k-stereo"));
            assertEquals("chords-24k", driver.findElement(By.cssSelector("#results li[data-track]"))
                    .getAttribute("data-track"));
            String src = (String) js.executeScript("return document.getElementById('player').src");
            assertTrue(src.endsWith("/v1/tracks/arpeggio-44k-stereo/audio"), src);

            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.quit();
        }
    }
}
