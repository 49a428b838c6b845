package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * map, hover and click a track on it; the tooltip stays inside the map, the highlighted dots on their points,
 * the legend names the map's colours, and a server without an index offers no search. The screenshots are
 * kept as {@code target/serve-page.png} and {@code target/serve-page-no-index.png}.
 */
class ServeBrowserTest {
    static final String MODEL = Path.of("..", "examples", "tiny-mert").toString();
    static final Path AUDIO = Path.of("..", "examples", "audio");
    static final Path SCREENSHOT = Path.of("target", "serve-page.png");
    static final Path SCREENSHOT_NO_INDEX = Path.of("target", "serve-page-no-index.png");

    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

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
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
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
        server = startServer(index, new AudioRoot(AUDIO));
    }

    static MertServer startServer(VectorIndex idx, AudioRoot audio) throws Exception {
        int[] all = EmbedOptions.MARBLE.resolveLayers(mert.config().numHiddenStates());
        return MertServer.start(new ServeSettings("127.0.0.1", 0, 8, 10, 50L << 20, 16, null, 5), mert.config(),
                "tiny-mert", (w, pool) -> mert.encodeWindows(w, all, pool), idx, audio);
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

    static void screenshot(ChromeDriver driver, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Opens the page of the server with the index and waits for its map. */
    static ChromeDriver openWithMap() throws Exception {
        ChromeDriver driver = browser();
        driver.get("http://127.0.0.1:" + server.port() + "/");
        await(driver, "the map", () -> driver.findElement(By.id("map-note")).getText().contains("2 tracks"));
        return driver;
    }

    /** Moves the pointer onto {@code track}'s point on the map, as the page has laid it out. */
    static void hover(ChromeDriver driver, String track) {
        @SuppressWarnings("unchecked")
        List<Number> xy = (List<Number>) driver.executeScript("const i = state.keyIndex.get(arguments[0]);"
                + "const r = document.getElementById('map').getBoundingClientRect();"
                + "return [state.screen[2 * i] - r.width / 2, state.screen[2 * i + 1] - r.height / 2];", track);
        new Actions(driver).moveToElement(driver.findElement(By.id("map")), xy.get(0).intValue(), xy.get(1).intValue())
                .perform();
    }

    @Test
    void uploadShowsTheNearestTracksAndTheMapAnswersHoverAndClick() throws Exception {
        ChromeDriver driver = openWithMap();
        try {
            JavascriptExecutor js = driver;
            WebElement input = driver.findElement(By.cssSelector("input#file[type=file]"));
            long drawn = (Long) js.executeScript("const c = document.getElementById('map');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
            assertTrue(drawn > 0, "nothing drawn on the map canvas");

            String chords = AUDIO.resolve("chords-24k.flac").toRealPath().toString(); // chromedriver wants a canonical path
            input.sendKeys(chords);
            await(driver, "the results", () -> !driver.findElements(By.cssSelector("#results li[data-track]")).isEmpty());
            List<WebElement> results = driver.findElements(By.cssSelector("#results li[data-track]"));
            assertEquals(2, results.size());
            assertEquals("chords-24k", results.get(0).getAttribute("data-track")); // the file finds itself
            assertTrue(results.get(0).getText().contains("1.000"), results.get(0).getText());
            WebElement status = driver.findElement(By.id("status"));
            assertTrue(status.getText().contains("chords-24k.flac: 2 nearest tracks"), status.getText());

            // hover names a track, a click plays it and lists its neighbours
            hover(driver, "arpeggio-44k-stereo");
            await(driver, "the tooltip", () -> driver.findElement(By.id("tip")).getText().equals("arpeggio-44k-stereo"));
            new Actions(driver).click().perform();
            await(driver, "the neighbours", () -> driver.findElement(By.id("results-title")).getDomProperty("textContent")
                    .equals("Neighbours of arpeggio-44k-stereo"));
            assertEquals("chords-24k", driver.findElement(By.cssSelector("#results li[data-track]"))
                    .getAttribute("data-track"));
            String src = (String) js.executeScript("return document.getElementById('player').src");
            assertTrue(src.endsWith("/v1/tracks/arpeggio-44k-stereo/audio"), src);
            // the status line speaks of the click now, not of the upload before it
            await(driver, "the status of the click", () -> status.getText().startsWith("arpeggio-44k-stereo: 1 neighbour"));
            screenshot(driver, SCREENSHOT);

            // the same file picked again is searched again, and the status line says so
            input.sendKeys(chords);
            await(driver, "the second search", () -> driver.findElement(By.id("results-title"))
                    .getDomProperty("textContent").equals("Nearest to chords-24k.flac"));
            assertTrue(status.getText().contains("chords-24k.flac: 2 nearest tracks"), status.getText());
        } finally {
            driver.quit();
        }
    }

    @Test
    void theTooltipStaysInsideTheMapAndThePage() throws Exception {
        ChromeDriver driver = openWithMap();
        try {
            // two tracks lie on the map's first axis, from its left edge to its right edge
            boolean flipped = false;
            for (String track : List.of("chords-24k", "arpeggio-44k-stereo")) {
                hover(driver, track);
                await(driver, "the tooltip of " + track, () -> driver.findElement(By.id("tip")).getText().equals(track));
                @SuppressWarnings("unchecked")
                Map<String, Number> box = (Map<String, Number>) driver.executeScript(
                        "const t = document.getElementById('tip').getBoundingClientRect();"
                        + "const m = document.getElementById('map').getBoundingClientRect();"
                        + "const i = state.keyIndex.get(arguments[0]);"
                        + "return {left: t.left - m.left, right: t.right - m.left, top: t.top - m.top,"
                        + " bottom: t.bottom - m.top, width: m.width, height: m.height, x: state.screen[2 * i],"
                        + " pageRight: t.right, viewport: document.documentElement.clientWidth,"
                        + " scrollWidth: document.documentElement.scrollWidth}", track);
                String seen = track + ": " + box;
                assertTrue(box.get("left").doubleValue() >= 0 && box.get("right").doubleValue() <= box.get("width")
                        .doubleValue() && box.get("top").doubleValue() >= 0 && box.get("bottom").doubleValue()
                        <= box.get("height").doubleValue(), "the tooltip leaves the map, " + seen);
                assertTrue(box.get("pageRight").doubleValue() <= box.get("viewport").doubleValue(), seen);
                assertTrue(box.get("scrollWidth").longValue() <= box.get("viewport").longValue(),
                        "the page scrolls sideways, " + seen);
                flipped |= box.get("right").doubleValue() <= box.get("x").doubleValue();
            }
            assertTrue(flipped, "no tooltip went to the left of its point: the map no longer puts a track at its"
                    + " right edge, so this test no longer sees that case");

            // a point in a bottom corner has its tooltip above it, inside the map
            @SuppressWarnings("unchecked")
            Map<String, Number> at = (Map<String, Number>) driver.executeScript(
                    "return tipPlace(395, 295, 120, 24, 400, 300)");
            assertEquals(395 - 10 - 120, at.get("left").doubleValue(), 1e-9, at.toString());
            assertEquals(295 - 10 - 24, at.get("top").doubleValue(), 1e-9, at.toString());
        } finally {
            driver.quit();
        }
    }

    /**
     * The canvas can change size without the window doing so (here its panel narrows as a scrollbar would
     * make it): after a click the highlighted dots still sit on their tracks' points, measured in the pixels
     * drawn, and the canvas's bitmap matches its size on the page.
     */
    @Test
    void highlightsSitOnTheirPointsAfterTheMapChangesSize() throws Exception {
        ChromeDriver driver = openWithMap();
        try {
            JavascriptExecutor js = driver;
            js.executeScript("document.body.style.paddingRight = '17px'");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Boolean.TRUE.equals(js.executeScript(BITMAP_MATCHES)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            hover(driver, "arpeggio-44k-stereo");
            await(driver, "the tooltip", () -> driver.findElement(By.id("tip")).getText().equals("arpeggio-44k-stereo"));
            new Actions(driver).click().perform();
            await(driver, "the neighbours", () -> driver.findElement(By.id("results-title")).getDomProperty("textContent")
                    .equals("Neighbours of arpeggio-44k-stereo"));
            new Actions(driver).moveToElement(driver.findElement(By.id("info"))).perform(); // no hover dot

            // the dots' centres, then the centres of the points alone once the dots are taken away
            List<?> dots = (List<?>) js.executeScript(CENTRES + "return [centre('chords-24k', '.swatch.near'),"
                    + " centre('arpeggio-44k-stereo', '.swatch.picked')];");
            List<?> points = (List<?>) js.executeScript(CENTRES + "state.highlight = new Map(); state.selected = -1;"
                    + " drawMap(); return [centre('chords-24k', '.swatch.track'),"
                    + " centre('arpeggio-44k-stereo', '.swatch.track')];");
            for (int i = 0; i < 2; i++) {
                List<?> dot = (List<?>) dots.get(i);
                List<?> point = (List<?>) points.get(i);
                assertTrue(dot != null, "no highlight drawn near its point");
                assertTrue(point != null, "no point drawn within 32 px of its highlight at " + dot);
                for (int axis = 0; axis < 2; axis++) {
                    double d = ((Number) dot.get(axis)).doubleValue(), p = ((Number) point.get(axis)).doubleValue();
                    assertTrue(Math.abs(d - p) <= 1, "a highlight " + (d - p) + " px off its point: dot " + dot
                            + ", point " + point);
                }
            }
            assertTrue((Boolean) js.executeScript(BITMAP_MATCHES), "the map's bitmap is stretched: "
                    + js.executeScript("const c = document.getElementById('map');"
                    + "return [c.width, c.height, c.clientWidth, c.clientHeight, devicePixelRatio]"));
        } finally {
            driver.quit();
        }
    }

    static final String BITMAP_MATCHES = "const c = document.getElementById('map'), r = devicePixelRatio;"
            + "return c.width === Math.round(c.clientWidth * r) && c.height === Math.round(c.clientHeight * r);";

    /**
     * centre(track, swatch): where, in CSS pixels of the canvas, the pixels of the swatch's colour within 32 px of
     * where the page put the track's point have their centre (weighted by their opacity), or null when there
     * are none.
     */
    static final String CENTRES = "const c = document.getElementById('map'), g = c.getContext('2d');"
            + "const k = devicePixelRatio;"
            + "function centre(track, swatch) {"
            + "  const rgb = getComputedStyle(document.querySelector('#legend ' + swatch)).backgroundColor"
            + "    .match(/\\d+/g).map(Number);"
            + "  const i = state.keyIndex.get(track), R = Math.round(32 * k);"
            + "  const x0 = Math.round(state.screen[2 * i] * k) - R, y0 = Math.round(state.screen[2 * i + 1] * k) - R;"
            + "  const d = g.getImageData(x0, y0, 2 * R + 1, 2 * R + 1).data;"
            + "  let sx = 0, sy = 0, sw = 0;"
            + "  for (let y = 0; y <= 2 * R; y++) for (let x = 0; x <= 2 * R; x++) {"
            + "    const o = 4 * (y * (2 * R + 1) + x);"
            + "    if (Math.abs(d[o] - rgb[0]) + Math.abs(d[o + 1] - rgb[1]) + Math.abs(d[o + 2] - rgb[2]) > 60) continue;"
            + "    sx += d[o + 3] * (x0 + x + 0.5); sy += d[o + 3] * (y0 + y + 0.5); sw += d[o + 3];"
            + "  }"
            + "  return sw > 0 ? [sx / sw / k, sy / sw / k] : null;"
            + "}";

    @Test
    void theLegendNamesTheMapsColours() throws Exception {
        ChromeDriver driver = openWithMap();
        try {
            WebElement legend = driver.findElement(By.id("legend"));
            assertTrue(legend.isDisplayed(), "no legend under the map");
            String text = legend.getText();
            for (String says : List.of("a track of the index", "nearest tracks or neighbours", "clicked", "under the pointer")) {
                assertTrue(text.contains(says), text);
            }
            // the swatches show the colours the map is drawn in, compared as the browser computes colours
            @SuppressWarnings("unchecked")
            List<List<String>> pairs = (List<List<String>>) driver.executeScript(
                    "const probe = document.createElement('i'); document.body.append(probe);"
                    + "const out = Object.entries(state.colours).map(([name, colour]) => {"
                    + "  probe.style.background = colour;"
                    + "  const swatch = document.querySelector('#legend .swatch.' + name);"
                    + "  return [name, getComputedStyle(probe).backgroundColor,"
                    + "    swatch ? getComputedStyle(swatch).backgroundColor : 'no swatch'];"
                    + "}); probe.remove(); return out;");
            assertEquals(4, pairs.size(), pairs.toString());
            for (List<String> pair : pairs) {
                assertEquals(pair.get(1), pair.get(2), "the map and the legend differ on " + pair.get(0));
            }
        } finally {
            driver.quit();
        }
    }

    @Test
    void withoutAnIndexThePageOffersNoSearch() throws Exception {
        MertServer plain = startServer(null, null);
        ChromeDriver driver = browser();
        try {
            driver.get("http://127.0.0.1:" + plain.port() + "/");
            await(driver, "the server's info", () -> driver.findElement(By.id("info")).getText().contains("no index"));
            assertFalse(driver.findElement(By.id("results-title")).isDisplayed(), "a list of nearest tracks is offered");
            assertFalse(driver.findElement(By.id("results")).isDisplayed(), "a list of nearest tracks is offered");
            assertFalse(driver.findElement(By.id("legend")).isDisplayed(), "a legend of a map that is not there");
            String page = driver.findElement(By.tagName("body")).getText();
            assertFalse(page.toLowerCase(java.util.Locale.ROOT).contains("nearest tracks"), page);
            WebElement why = driver.findElement(By.id("no-index"));
            assertTrue(why.isDisplayed() && why.getText().contains("--index"), why.getText());
            assertTrue(driver.findElement(By.id("map-empty")).isDisplayed(), "the empty map says nothing");
            screenshot(driver, SCREENSHOT_NO_INDEX);
        } finally {
            driver.quit();
            plain.close();
        }
    }
}
