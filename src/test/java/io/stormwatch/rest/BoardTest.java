package io.stormwatch.rest;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.api.CommandReply;
import io.stormwatch.api.Event;
import io.stormwatch.support.DirectCommands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The live board in a real browser (Debian's chromium, headless, through chromedriver): it shows the stations, and
 * an alert raised by a command appears without a reload, acknowledged, then goes when it clears. The screenshot of
 * the run is kept in target/board.png (docs/images/board.png is one of them).
 */
@QuarkusTest
class BoardTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL board;

    @Inject
    DirectCommands commands;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        assertThat(CHROMIUM).as("chromium (apt-get install chromium chromium-driver; .ci/run installs it)").exists();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").exists();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void the_board_shows_the_stations_and_an_alert_comes_and_goes_live() throws IOException {
        String station = newStationId("BOARD");
        String rule = newStationId("BOARDHEAT");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        execute(register(station), observation(station, t0, 21.5), heatRule(rule, station));

        browser.get(board.toString());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        By card = By.cssSelector("li.station[data-station='" + station + "']");
        try {
            // A card's details are read when it comes into view: the test's station is one of many here.
            browser.executeScript("arguments[0].scrollIntoView()",
                    wait.until(ExpectedConditions.presenceOfElementLocated(card)));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(card, "21.5 °C"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the board says: " + browser.findElement(By.id("status")).getText() + "; "
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "live"));

        // Raised by a command sent now, shown without a reload; severity in words, not colour alone.
        execute(observation(station, t0.plusSeconds(60), 35.0));
        By alert = By.xpath("//li[contains(@class,'alert')][.//dd[contains(., '" + station + "')]]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(alert));
        assertThat(browser.findElement(alert).getText()).contains("SEVERE", "Heat", "Urgency", "Expected",
                "temperatureC 35", "not acknowledged");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(card, "35.0 °C"));
        assertThat(browser.findElement(By.id("events")).getText()).contains("AlertRaised");

        String alertId = browser.findElement(alert).getAttribute("data-alert");
        execute(new JsonObject().put("type", "AcknowledgeAlert").put("commandId", UUID.randomUUID().toString())
                .put("alertId", alertId).put("by", "duty officer"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(alert, "acknowledged by duty officer"));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "board.png"), browser.getScreenshotAs(OutputType.BYTES));

        execute(observation(station, t0.plusSeconds(120), 20.0));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(alert));
        assertThat(browser.findElement(By.id("events")).getText()).contains("AlertCleared");
    }

    @Test
    void the_board_fits_a_phone() {
        String station = newStationId("PHONE");
        // The longest name a station may have, with no space to break it at, on a card and on an alert.
        execute(register(station).put("name", "N".repeat(200)), heatRule("phone-" + station.toLowerCase(), station),
                observation(station, Instant.now().minusSeconds(60), 35.5));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(375, 812));
        browser.get(board.toString());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "live"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".alert")));
        Object overflow = browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue()).as("pixels wider than a 375 px screen").isLessThanOrEqualTo(0);
    }

    @Test
    void the_board_follows_every_event_type() throws IOException {
        String script = Files.readString(Path.of("src/main/resources/META-INF/resources/board/board.js"));
        for (String type : Event.typeNames()) {
            assertThat(script).as("board.js listens to %s", type).contains('"' + type + '"');
        }
    }

    private void execute(JsonObject... batch) {
        List<CommandReply> replies = commands.execute(List.of(batch)).await().atMost(WAIT);
        assertThat(replies).allSatisfy(reply -> assertThat(reply.status().name().toLowerCase(java.util.Locale.ROOT)).isIn("accepted", "duplicate"));
    }

    private static JsonObject heatRule(String rule, String station) {
        return new JsonObject().put("type", "DefineAlertRule").put("commandId", UUID.randomUUID().toString())
                .put("ruleId", rule).put("name", "Heat").put("metric", "temperatureC").put("operator", ">")
                .put("threshold", 30).put("clearThreshold", 28).put("severity", "Severe").put("urgency", "Expected")
                .put("stationIds", new JsonArray().add(station));
    }
}
