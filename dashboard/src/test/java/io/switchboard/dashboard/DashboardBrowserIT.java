package io.switchboard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.NodeConfig;
import io.switchboard.testkit.Closer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which .ci/run
 * installs): the page loads, shows the node the test started, and follows a client joining, emitting and being
 * tailed. It leaves a screenshot in {@code target/dashboard.png}, and in the file named by the system property
 * {@code dashboard.screenshot} if set (how docs/dashboard.png is made; see docs/observability.md).
 */
class DashboardBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  private static final String DRIVER = System.getProperty("chromedriver.path", "/usr/bin/chromedriver");

  @TempDir Path dir;
  @AutoClose private final Closer closer = new Closer();
  private WebDriver browser;

  @BeforeEach
  void startBrowser() {
    assertThat(Path.of(CHROMIUM)).as("Chromium (apt-get install chromium chromium-driver; -Dchromium.binary=PATH)")
        .isExecutable();
    assertThat(Path.of(DRIVER)).as("chromedriver (apt-get install chromium-driver; -Dchromedriver.path=PATH)")
        .isExecutable();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1360,1100", "--force-device-scale-factor=1");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(DRIVER).toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  /** Quits the browser before {@link #closer} closes the node it shows. */
  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  private BusClient client(BusNode node, String name) {
    return closer.add(BusClient.builder().node(node.localEndpoint()).name(name).build());
  }

  /** An event's data: a record, so that its JSON has its fields in this order. */
  record Order(int order, String item) {}

  @Test
  void pageShowsTheNodeAndFollowsClientsAndEvents() throws Exception {
    BusNode node = closer.add(BusNode.start(NodeConfig.defaults().toBuilder()
        .ipc(dir.resolve("node.sock").toString()).build(), line -> { }));
    DashboardServer server = closer.add(DashboardServer.builder().node(node).updateInterval(Duration.ofMillis(250))
        .start());
    // The page rebuilds its rows at every update: an element found just before one is stale just after.
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.ignoring(StaleElementReferenceException.class);

    browser.get(server.url());
    wait.until(ExpectedConditions.textToBe(By.id("node-id"), node.id()));
    wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
    assertThat(browser.findElement(By.id("kpi-clients")).getText()).isEqualTo("0");

    // A client joins B: the page lists it under B and among the clients.
    BusClient orders = client(node, "orders-service");
    orders.join("B").joined().get(10, TimeUnit.SECONDS);
    wait.until(ExpectedConditions.attributeContains(By.cssSelector("#channels tr[data-channel='B']"),
        "data-clients", "orders-service"));
    wait.until(ExpectedConditions.textToBe(By.id("kpi-clients"), "1"));

    // The page tails B, and a second client emits on A, which copies to B.
    new Select(browser.findElement(By.id("tail-channel"))).selectByValue("B");
    browser.findElement(By.id("tail-toggle")).click();
    wait.until(ExpectedConditions.textToBe(By.id("tail-note"), "watching B"));
    BusClient web = client(node, "web-frontend");
    BusChannel a = web.join("A");
    a.joined().get(10, TimeUnit.SECONDS);
    for (int i = 1; i <= 5; i++) {
      a.emit("order.created", new Order(i, "widget"));
    }
    wait.until(ExpectedConditions.textToBe(By.id("kpi-in"), "5"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#channels tr[data-channel='A'] td[data-events-in]"),
        "5"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tail tbody tr"), 5));
    // The tail's rows are added, never rebuilt: the newest is first.
    assertThat(browser.findElement(By.cssSelector("#tail tbody tr")).getText())
        .contains("order.created", "web-frontend", "{\"order\":5,\"item\":\"widget\"}");

    // A steady stream for the screenshot: rates show on the page.
    BusClient audit = client(node, "audit-log");
    audit.join("A").joined().get(10, TimeUnit.SECONDS);
    ScheduledExecutorService emitter = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger n = new AtomicInteger(5);
    emitter.scheduleAtFixedRate(() -> a.emit("order.created", new Order(n.incrementAndGet(), "widget")), 0, 40,
        TimeUnit.MILLISECONDS);
    try {
      wait.until(d -> Integer.parseInt(d.findElement(By.id("kpi-in")).getText().replace(",", "")) >= 40
          && !d.findElement(By.id("kpi-in-rate")).getText().matches("–|0|0\\.0"));
      Path shot = Path.of("target", "dashboard.png");
      Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
      String copy = System.getProperty("dashboard.screenshot");
      if (copy != null) {
        Files.copy(shot, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      emitter.shutdownNow();
      emitter.awaitTermination(5, TimeUnit.SECONDS);
    }

    // No script error and no refusal by the page's content security policy.
    List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(severe).isEmpty();
  }
}
