package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vcc.ovf.ControllerType;
import io.vcc.ovf.DiskAttachment;
import io.vcc.ovf.FileReference;
import io.vcc.ovf.NetworkAdapter;
import io.vcc.ovf.OvaWriter;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfNetwork;
import io.vcc.ovf.OvfPackageWriter;
import io.vcc.ovf.StorageController;
import io.vcc.ovf.VirtualDisk;
import io.vcc.ovf.VirtualHardware;
import io.vcc.ovf.VirtualSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.SystemRole;
import io.vcc.node.adapter.sim.ha.SimHaSetup;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chromium.HasNetworkConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The web console in a real browser (Debian's headless Chromium through its chromedriver) against a server and
 * two nodes started here: logins as an admin and as a tenant's admin, tenant isolation (another tenant's VDC is
 * neither listed nor reachable by URL: 404), provisioning a VM, uploading an OVA with tus and a progress bar,
 * a transfer whose progress moves on the page without a reload, and a wrong input shown beside its field; then
 * clicks whose results are read back from the API: power off and on, delete, cancelling a running transfer, a
 * stretch deploy (refused, then started, succeeded live, committed and reversed) and an HA failover triggered,
 * held, refused a second time and failed back; the dashboard's running operations follow the event stream; the
 * networks page shows each cloud's datapath counters.
 * Screenshots of the main pages go to {@code target/console-screenshots/}. Without chromium and chromedriver
 * the test is skipped (printing why), unless {@code VCC_REQUIRE_BROWSER=1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserE2ETest {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final int DISK_BYTES = 24 << 20;

    @TempDir
    static Path home;
    @TempDir
    static Path work;

    private VccCluster cluster;
    private String server;
    private Api admin;
    private Api acme;
    private String globexVdc;
    private String acmeA;
    private final Map<String, ConfigurableApplicationContext> nodes = new HashMap<>();
    private String c1Id;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws IOException {
        Path chromium = executable("VCC_CHROMIUM", "/usr/bin/chromium");
        Path driver = executable("VCC_CHROMEDRIVER", "/usr/bin/chromedriver");
        String missing = chromium == null ? "chromium is not installed" : driver == null ? "chromedriver (chromium-driver) is not installed" : null;
        if (missing != null) {
            if ("1".equals(System.getenv("VCC_REQUIRE_BROWSER"))) {
                fail(missing + "; VCC_REQUIRE_BROWSER=1 requires it");
            }
            System.out.println("Skipping: " + missing + "; skipping the web console's browser tests");
            assumeTrue(false, missing);
        }
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        cluster.server(serverPort, "--vcc.transfers.chunk-size=1MB", "--vcc.transfers.poll-interval=300ms",
                "--db-scheduler.polling-interval=200ms");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        for (String name : List.of("node-a", "node-b")) {
            int port = VccCluster.freePort();
            // The datapath (loopback UDP only) is on, so that a VM can be stretched from one cloud to the other.
            nodes.put(name, cluster.vccNode(name, port, "http://127.0.0.1:" + port, server,
                    admin.post("/api/v1/node-registrations", "{\"note\":\"" + name + "\"}").text("token"), "PUBLIC",
                    "--vcc.transfers.max-rate=4MB", "--vcc.datapath.enabled=true", "--vcc.datapath.local-vtep=127.0.0.1:0",
                    "--vcc.datapath.tunnel=127.0.0.1:0", "--vcc.datapath.event-loops=1",
                    "--vcc.sim.segments.vteps=127.0.0.1:" + (name.equals("node-a") ? 47895 : 47896)));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
        String acmeTenant = admin.createTenantWithAdmin("acme");
        acme = admin.asTenantAdmin("acme");
        acmeA = admin.createVdc(acmeTenant, "node-a", "acme-a", 100);
        admin.createVdc(acmeTenant, "node-b", "acme-b", 100);
        globexVdc = admin.createVdc(admin.createTenantWithAdmin("globex"), "node-a", "globex-a", 100);
        // acme's tenant network "web" in cloud A, with a VDC network on it in acme-a: what a stretch deploy needs.
        Api.Response network = admin.post("/api/v1/networks", "{\"tenantId\":\"" + acmeTenant + "\",\"name\":\"web\",\"vlanId\":10,"
                + "\"clouds\":[{\"cloudId\":\"" + admin.cloudId("node-a") + "\"}]}");
        assertThat(network.status()).as(network.toString()).isEqualTo(201);
        Api.Response backed = admin.send("PUT", "/api/v1/vdcs/" + acmeA + "/segment-networks/web", "{\"networkId\":\""
                + network.text("id") + "\",\"cidr\":\"192.168.10.0/24\",\"gateway\":\"192.168.10.1\"}", "application/json");
        assertThat(backed.status()).as(backed.toString()).isEqualTo(200);
        // Node A's simulated HA estate: customer hypervisor c1 with an acme VM, and pool-1 with a VH that mirrors c1.
        SimHaSetup sim = nodes.get("node-a").getBean(SimHaSetup.class);
        HypervisorInfo c1 = sim.addSystem("c1", SystemRole.CUSTOMER, null, 3, 16, 65536);
        HypervisorInfo p1 = sim.addSystem("p1", SystemRole.POOL, "pool-1", 4, 64, 262144);
        sim.addVirtualHypervisor("vh-c1", p1.physicalSystemId(), c1.id(), 3, 16, 65536);
        sim.addVirtualHypervisor("vh-generic", p1.physicalSystemId(), null, 4, 32, 131072);
        sim.addVm("acme", "ha-web", c1.id(), 2, 2048, new HaNic("52:54:00:00:01:01", "10.0.0.5", "acme-net", 101), 64 * 1024);
        sim.addVm("globex", "ha-db", c1.id(), 1, 1024, new HaNic("52:54:00:00:02:01", "10.0.0.5", "globex-net", 102), 64 * 1024);
        c1Id = c1.id();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 800));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // Pages reload after a click: an element found just before may be gone, and is looked for again.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anAdminLogsInAndSeesTheNodesRunningAndEveryTenant() throws IOException {
        logIn("admin", VccCluster.ADMIN_PASSWORD);
        wait.until(d -> d.findElements(By.cssSelector("#nodes [data-node]")).size() == 2);
        WebElement nodes = browser.findElement(By.id("nodes"));
        assertThat(nodes.getText()).contains("node-a", "node-b", "RUNNING");
        // The node table is replaced by polling: an element found before is gone from the page after a refresh.
        wait.until(d -> isStale(nodes));
        assertThat(browser.findElement(By.id("nodes")).getText()).contains("node-a");
        screenshot("dashboard");

        browser.get(server + "/console/tenants");
        assertThat(browser.findElement(By.id("tenants")).getText()).contains("acme", "globex");
        screenshot("tenants");
        browser.get(server + "/console/vdcs");
        assertThat(browser.findElement(By.id("vdcs")).getText()).contains("acme-a", "acme-b", "globex-a");
        logOut();
    }

    @Test
    @Order(2)
    void aWrongLoginIsRefusedOnTheForm() {
        browser.get(server + "/console/login");
        browser.findElement(By.id("username")).sendKeys("acme-admin");
        browser.findElement(By.id("password")).sendKeys("not-the-password");
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(d -> d.getCurrentUrl().contains("error"));
        assertThat(browser.findElement(By.cssSelector("#login-form .error")).getText()).contains("Wrong user name or password");
    }

    @Test
    @Order(3)
    void aTenantSeesOnlyItsOwnVdcsAndAnotherTenantsVdcIsNotFound() throws Exception {
        logIn("acme-admin", "acme-password-1");
        browser.get(server + "/console/vdcs");
        String listed = browser.findElement(By.id("vdcs")).getText();
        assertThat(listed).contains("acme-a", "acme-b").doesNotContain("globex-a");
        assertThat(browser.findElements(By.cssSelector("meter"))).isNotEmpty();
        screenshot("vdcs");

        browser.get(server + "/console/vdcs/" + globexVdc);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(browser.getPageSource()).doesNotContain("globex-a");
        // The same request with this browser's session, to see the status code the browser got.
        String session = browser.manage().getCookieNamed("JSESSIONID").getValue();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server + "/console/vdcs/" + globexVdc))
                .header("Cookie", "JSESSIONID=" + session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        // The admin pages are not the tenant's: the menu has no Tenants, and the API's 403 shows as an error page.
        assertThat(browser.findElement(By.cssSelector("header nav")).getText()).doesNotContain("Tenants");
    }

    @Test
    @Order(4)
    void aWrongInputShowsTheApisErrorBesideItsField() throws IOException {
        browser.get(server + "/console/vdcs/" + acmeA);
        WebElement name = browser.findElement(By.id("vm-name"));
        name.sendKeys("not a valid name!");
        browser.findElement(By.id("vm-cpus")).clear();
        browser.findElement(By.id("vm-cpus")).sendKeys("0");
        browser.findElement(By.cssSelector("#provision button")).click();
        WebElement nameError = wait.until(d -> d.findElement(By.cssSelector("#provision #err-name")));
        assertThat(nameError.getText()).isNotBlank();
        assertThat(browser.findElement(By.cssSelector("#provision #err-cpus")).getText()).contains("1");
        assertThat(browser.findElement(By.cssSelector("#provision .error[role=alert]")).getText()).contains("invalid");
        // What was typed is kept for correcting it, and nothing was created.
        assertThat(browser.findElement(By.id("vm-name")).getAttribute("value")).isEqualTo("not a valid name!");
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms").json().size()).isZero();
        screenshot("vdc-error");
    }

    @Test
    @Order(5)
    void aProvisionedVmAppearsInTheVdc() {
        browser.get(server + "/console/vdcs/" + acmeA);
        browser.findElement(By.id("vm-name")).sendKeys("web-1");
        browser.findElement(By.cssSelector("#provision button")).click();
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("#vms [data-vm='web-1']")));
        assertThat(row.getText()).contains("web-1", "off");
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms").json().findValuesAsString("name")).contains("web-1");
    }

    @Test
    @Order(6)
    void anOvaUploadSurvivesAReloadResumesAndReachesTheFullAndItsVmAppears() throws IOException {
        Path ova = ova("app01", 12 << 20);
        browser.get(server + "/console/vdcs/" + acmeA);
        // A slow uplink (1.5 MB/s), so that the page can be reloaded in the middle of the upload.
        HasNetworkConditions network = (HasNetworkConditions) browser;
        network.setNetworkConditions(new ChromiumNetworkConditions().setUploadThroughput(1_500_000).setDownloadThroughput(50_000_000));
        browser.findElement(By.id("upload-file")).sendKeys(ova.toAbsolutePath().toString());
        browser.findElement(By.id("upload-name")).sendKeys("app01");
        browser.findElement(By.cssSelector("#upload button")).click();
        int before = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(50)).until(d -> {
            int value = Integer.parseInt(d.findElement(By.id("upload-progress")).getAttribute("value"));
            return value >= 40 ? value : null;
        });
        assertThat(before).as("the upload was still going when the page was reloaded").isLessThan(100);
        browser.navigate().refresh();
        network.deleteNetworkConditions();

        // The reloaded page shows how far the server has the upload, and the same file resumes it from there.
        WebElement resume = wait.until(d -> d.findElement(By.id("upload-resume")).isDisplayed() ? d.findElement(By.id("upload-resume")) : null);
        assertThat(resume.getText()).contains("app01.ova", "stopped at");
        int shown = Integer.parseInt(browser.findElement(By.id("upload-progress")).getAttribute("value"));
        assertThat(shown).isGreaterThan(0).isLessThan(100);
        browser.findElement(By.id("upload-file")).sendKeys(ova.toAbsolutePath().toString());
        browser.findElement(By.id("upload-name")).sendKeys("app01");
        browser.findElement(By.cssSelector("#upload button")).click();
        TreeSet<Integer> seen = new TreeSet<>();
        new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(50)).until(d -> {
            seen.add(Integer.parseInt(d.findElement(By.id("upload-progress")).getAttribute("value")));
            return seen.contains(100);
        });
        assertThat(seen.first()).as("resumed, not started again: %s", seen).isGreaterThanOrEqualTo(shown);
        assertThat(browser.findElement(By.id("upload-percent")).getText()).isEqualTo("100 %");
        WebElement row = new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElement(By.cssSelector("#vms [data-vm='app01']")));
        assertThat(row.getText()).contains("app01");
        assertThat(browser.findElement(By.id("upload-error")).isDisplayed()).isFalse();
        // One import, resumed: not a second one started from zero.
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms").json().findValuesAsString("name").stream()
                .filter(name -> name.startsWith("app01")).count()).isEqualTo(1);
        screenshot("vdc");
    }

    @Test
    @Order(7)
    void aTransferStartedFromTheFormShowsItsProgressLiveWithoutReload() throws Exception {
        JsonNode vm = null;
        for (JsonNode each : acme.get("/api/v1/vdcs/" + acmeA + "/vms").json()) {
            if (each.path("name").asString().equals("web-1")) {
                vm = each;
            }
        }
        assertThat(vm).isNotNull();
        // 24 MiB of content at the node's 4 MB/s: several seconds of progress to watch.
        byte[] content = new byte[DISK_BYTES];
        new Random(7).nextBytes(content);
        Path disk = cluster.home("node-a", "vcc-node").resolve("disks").resolve(vm.path("id").asString()).resolve("disk-0.img");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(DISK_BYTES);
            file.write(content);
        }

        browser.get(server + "/console/transfers");
        new Select(browser.findElement(By.id("tr-source"))).selectByVisibleText("acme-a");
        // The choices come from the chosen VDC: its VMs, and only the same tenant's other VDCs as targets.
        try {
            wait.until(d -> !d.findElements(By.cssSelector("#tr-item option")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no choices offered; the page: " + browser.getPageSource(), e);
        }
        List<String> targets = new ArrayList<>();
        new Select(browser.findElement(By.id("tr-target"))).getOptions().forEach(option -> targets.add(option.getText()));
        assertThat(targets).containsExactly("acme-b");
        new Select(browser.findElement(By.id("tr-item"))).selectByVisibleText("VM web-1");
        browser.findElement(By.cssSelector("#transfer button[type=submit]")).click();

        WebElement operation = wait.until(d -> d.findElement(By.cssSelector("#transfers [data-operation]")));
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        TreeSet<Integer> seen = new TreeSet<>();
        new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(100)).until(d -> {
            seen.add(Integer.parseInt(operation.findElement(By.className("op-progress")).getAttribute("value")));
            if (seen.size() == 3) {
                screenshot("transfers");
            }
            return operation.findElement(By.className("op-state")).getText().equals("SUCCEEDED");
        });
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(seen.stream().filter(value -> value > 0 && value < 100).count()).as("progress values seen: %s", seen).isGreaterThanOrEqualTo(2);
        assertThat(acme.get("/api/v1/vdcs/" + admin.get("/api/v1/vdcs").json().findValuesAsString("id")
                .stream().filter(id -> !id.equals(acmeA) && !id.equals(globexVdc)).findFirst().orElseThrow() + "/vms")
                .json().findValuesAsString("name")).contains("web-1");
    }

    @Test
    @Order(20)
    void theNetworksPageAndAPhoneSizedDashboardRender() throws IOException {
        browser.get(server + "/console/networks");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Tenant networks");
        browser.findElement(By.id("net-name")).sendKeys("lan");
        browser.findElement(By.id("net-vlan")).sendKeys("99999");
        browser.findElement(By.id("net-mtu")).sendKeys("100");
        browser.findElement(By.cssSelector("#create-network button")).click();
        assertThat(wait.until(d -> d.findElement(By.cssSelector("#create-network #err-vlanId"))).getText()).isNotBlank();
        assertThat(browser.findElement(By.cssSelector("#create-network #err-mtu")).getText()).contains("576");
        // Each cloud's datapath counters of the network "web" (in cloud A again since the reverse), as the API reads them from the nodes.
        WebElement counters = wait.until(d -> d.findElement(By.cssSelector("#networks [data-network='web'] .datapath")));
        JsonNode traffic = acme.get("/api/v1/networks/" + acme.get("/api/v1/networks").json().get(0).path("id").asString() + "/datapath").json();
        assertThat(traffic.size()).isEqualTo(1);
        assertThat(counters.getText()).contains("node-a:").doesNotContain("node-b:");
        for (JsonNode span : traffic) {
            assertThat(counters.getText()).contains("local " + span.path("segment").path("counters").path("framesFromLocal").asLong() + " frames");
        }
        screenshot("networks");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(server + "/console");
        // At phone width nothing is wider than the window but tables, which scroll inside their own box.
        Object width = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth <= window.innerWidth;");
        assertThat(width).isEqualTo(true);
        screenshot("dashboard-phone");
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    @Test
    @Order(8)
    void aVmIsPoweredOnAndOffFromItsRowAndTheApiSaysSo() {
        String vm = vmId(acmeA, "web-1");
        browser.get(server + "/console/vdcs/" + acmeA);
        browser.findElement(By.cssSelector("#vms [data-vm='web-1'] button[aria-label='Power on web-1']")).click();
        wait.until(d -> d.findElement(By.cssSelector("#vms [data-vm='web-1'] td:nth-child(2)")).getText().equals("on"));
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms/" + vm).text("state")).isEqualTo("POWERED_ON");

        browser.findElement(By.cssSelector("#vms [data-vm='web-1'] button[aria-label='Power off web-1']")).click();
        wait.until(d -> d.findElement(By.cssSelector("#vms [data-vm='web-1'] td:nth-child(2)")).getText().equals("off"));
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms/" + vm).text("state")).isEqualTo("POWERED_OFF");
    }

    @Test
    @Order(9)
    void theDashboardShowsARunningTransferFromTheEventStreamAndItIsCancelledFromItsRow() {
        // The dashboard's operations follow the API's event stream: no polling, and no reload when one starts.
        browser.get(server + "/console");
        WebElement operations = browser.findElement(By.id("operations"));
        assertThat(operations.getAttribute("hx-trigger")).doesNotContain("every");
        assertThat(operations.getText()).contains("Nothing is running");
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        String acmeB = vdcId("acme-b");
        // 24 MiB at the node's 4 MB/s: several seconds in which the operation runs and can be cancelled.
        Api.Response started = acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + acmeA + "\",\"vmId\":\"" + vmId(acmeA, "web-1")
                + "\",\"targetVdcId\":\"" + acmeB + "\",\"mode\":\"COPY\",\"targetName\":\"web-1-cancelled\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String operation = started.text("id");
        assertThat(wait.until(d -> d.findElement(By.cssSelector("#operations [data-running='" + operation + "']"))).getText())
                .contains("transfer");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);

        browser.get(server + "/console/transfers");
        browser.findElement(By.cssSelector("#transfers [data-operation='" + operation + "'] form.cancel-op button")).click();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(acme.get("/api/v1/operations/" + operation).text("state")).isEqualTo("CANCELLED"));
        By row = By.cssSelector("#transfers [data-operation='" + operation + "']");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .withMessage(() -> "the row reads '" + textOf(row) + "', the page's updates are '" + textOf(By.id("live-state")) + "'")
                .until(d -> d.findElement(row).findElement(By.className("op-state")).getText().equals("CANCELLED"));
        assertThat(browser.findElements(By.cssSelector("#transfers [data-operation='" + operation + "'] form.cancel-op"))).isEmpty();
        assertThat(acme.get("/api/v1/vdcs/" + acmeB + "/vms").json().findValuesAsString("name")).doesNotContain("web-1-cancelled");
    }

    @Test
    @Order(10)
    void aVmIsDeletedFromItsRowAfterConfirmingAndIsGoneFromTheApi() {
        String vm = vmId(acmeA, "app01");
        browser.get(server + "/console/vdcs/" + acmeA);
        browser.findElement(By.cssSelector("#vms [data-vm='app01'] button[aria-label='Delete app01']")).click();
        wait.until(d -> d.switchTo().alert()).accept();
        wait.until(d -> d.findElements(By.cssSelector("#vms [data-vm='app01']")).isEmpty());
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms/" + vm).status()).isEqualTo(404);
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms").json().findValuesAsString("name")).contains("web-1").doesNotContain("app01");
    }

    @Test
    @Order(11)
    void aStretchTheApiRefusesShowsItsProblemOnTheFormAndStartsNothing() {
        browser.get(server + "/console/stretch-deploys");
        List<String> sources = new ArrayList<>();
        new Select(browser.findElement(By.id("st-source"))).getOptions().forEach(option -> sources.add(option.getText()));
        assertThat(sources).contains("acme-a", "acme-b").doesNotContain("globex-a");
        new Select(browser.findElement(By.id("st-source"))).selectByVisibleText("acme-a");
        wait.until(d -> !d.findElements(By.cssSelector("#st-vm option")).isEmpty());
        // web-1 is on no tenant network: its address could not be kept in the other cloud.
        new Select(browser.findElement(By.id("st-vm"))).selectByVisibleText("web-1");
        browser.findElement(By.cssSelector("#stretch button[type=submit]")).click();
        WebElement problem = wait.until(d -> d.findElement(By.cssSelector("#stretch .error[role=alert]")));
        assertThat(problem.getText()).startsWith("Stretch deploy not possible: ").contains("tenant network");
        assertThat(acme.get("/api/v1/stretch-deploys").json().size()).isZero();
    }

    @Test
    @Order(12)
    void aStretchDeployStartedFromTheFormSucceedsLiveKeepsItsAddressAndIsCommitted() {
        Api.Response created = acme.post("/api/v1/vdcs/" + acmeA + "/vms",
                "{\"name\":\"db-1\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"network\":\"web\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String sourceVm = created.text("id");
        JsonNode nic = created.json().path("nics").get(0);
        assertThat(acme.post("/api/v1/vdcs/" + acmeA + "/vms/" + sourceVm + "/power", "{\"state\":\"POWERED_ON\"}").status()).isEqualTo(200);

        browser.get(server + "/console/stretch-deploys");
        new Select(browser.findElement(By.id("st-source"))).selectByVisibleText("acme-a");
        wait.until(d -> d.findElements(By.cssSelector("#st-vm option")).stream().anyMatch(o -> o.getText().equals("db-1")));
        List<String> targets = new ArrayList<>();
        new Select(browser.findElement(By.id("st-target"))).getOptions().forEach(option -> targets.add(option.getText()));
        assertThat(targets).as("only the tenant's VDCs in another cloud").containsExactly("acme-b");
        new Select(browser.findElement(By.id("st-vm"))).selectByVisibleText("db-1");
        browser.findElement(By.id("st-keep")).click();
        browser.findElement(By.cssSelector("#stretch button[type=submit]")).click();

        WebElement item = wait.until(d -> d.findElement(By.cssSelector("#stretches [data-stretch='VM db-1']")));
        assertThat(item.getText()).contains("acme-a → acme-b");
        String stretch = item.getAttribute("data-operation");
        // The state changes on the page from the event stream, without a reload.
        new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(200)).until(d ->
                item.findElement(By.className("op-state")).getText().matches("SUCCEEDED|FAILED|CANCELLED"));
        JsonNode done = acme.get("/api/v1/operations/" + stretch).json();
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(item.findElement(By.className("op-state")).getText()).isEqualTo("SUCCEEDED");
        String acmeB = vdcId("acme-b");
        JsonNode moved = acme.get("/api/v1/vdcs/" + acmeB + "/vms/" + done.path("outputs").path("targetVmId").asString()).json();
        assertThat(moved.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(moved.path("nics").get(0).path("mac").asString()).isEqualTo(nic.path("mac").asString());
        assertThat(moved.path("nics").get(0).path("ip").asString()).isEqualTo(nic.path("ip").asString());
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms/" + sourceVm).text("state")).as("kept, powered off").isEqualTo("POWERED_OFF");

        browser.navigate().refresh();
        screenshot("stretch");
        browser.findElement(By.cssSelector("#stretches button[aria-label='Commit stretch deploy of VM db-1']")).click();
        wait.until(d -> d.findElements(By.cssSelector("#stretches button[aria-label='Commit stretch deploy of VM db-1']")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#stretches [data-stretch='VM db-1']")).getText()).contains("committed");
        assertThat(acme.get("/api/v1/vdcs/" + acmeA + "/vms/" + sourceVm).status()).isEqualTo(404);
        // Another tenant lists none of it, and cannot act on it.
        Api globex = admin.asTenantAdmin("globex");
        assertThat(globex.get("/api/v1/stretch-deploys").json().size()).isZero();
        assertThat(globex.post("/api/v1/stretch-deploys/" + stretch + "/reverse", null).status()).isEqualTo(404);
        JsonNode listed = acme.get("/api/v1/stretch-deploys").json();
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).path("committed").asBoolean()).isTrue();
        assertThat(listed.get(0).path("sourceVdcId").asString()).isEqualTo(acmeA);
        assertThat(listed.get(0).path("targetVdcId").asString()).isEqualTo(acmeB);

        // Reversed from its row: the VM comes back to acme-a with the same address, and leaves acme-b.
        browser.findElement(By.cssSelector("#stretches [data-operation='" + stretch + "'] button[aria-label='Reverse stretch deploy of VM db-1']")).click();
        String reverse = wait.until(d -> {
            for (JsonNode each : acme.get("/api/v1/stretch-deploys").json()) {
                if (stretch.equals(each.path("reverseOf").asString(null))) {
                    return each.path("id").asString();
                }
            }
            return null;
        });
        WebElement reversing = wait.until(d -> d.findElement(By.cssSelector("#stretches [data-operation='" + reverse + "']")));
        assertThat(reversing.getText()).contains("Reverse of VM db-1", "acme-b → acme-a");
        new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(200)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector("#stretches [data-operation='" + reverse + "'] .op-state")).getText()
                        .matches("SUCCEEDED|FAILED|CANCELLED"));
        JsonNode back = acme.get("/api/v1/operations/" + reverse).json();
        assertThat(back.path("state").asString()).as(back.toString()).isEqualTo("SUCCEEDED");
        JsonNode home = acme.get("/api/v1/vdcs/" + acmeA + "/vms/" + back.path("outputs").path("targetVmId").asString()).json();
        assertThat(home.path("name").asString()).isEqualTo("db-1");
        assertThat(home.path("nics").get(0).path("ip").asString()).isEqualTo(nic.path("ip").asString());
        assertThat(acme.get("/api/v1/vdcs/" + acmeB + "/vms").json().findValuesAsString("name")).doesNotContain("db-1");
        assertThat(browser.findElements(By.cssSelector("#stretches [data-operation='" + stretch + "'] button"))).as("reversed once only").isEmpty();
    }

    @Test
    @Order(13)
    void anAdminProtectsAHypervisorFailsItOverFromThePageSeesItHeldAndFailsItBack() {
        logOut();
        logIn("admin", VccCluster.ADMIN_PASSWORD);
        browser.get(server + "/console/ha");
        new Select(browser.findElement(By.id("pool-node"))).selectByVisibleText("node-a");
        browser.findElement(By.id("pool-name")).sendKeys("pool-1");
        browser.findElement(By.cssSelector("#create-pool button")).click();
        WebElement pool = wait.until(d -> d.findElement(By.cssSelector("#pools [data-pool='pool-1']")));
        assertThat(pool.getText()).contains("vh-c1", "vh-generic", "INACTIVE");
        assertThat(admin.get("/api/v1/ha/pools").json().findValuesAsString("name")).containsExactly("pool-1");

        Select target = new Select(browser.findElement(By.id("prot-target")));
        assertThat(target.getOptions()).extracting(WebElement::getText).as("an admin's choices: the customer hypervisor and its VMs")
                .containsExactly("Hypervisor c1-hv (whole)", "VM ha-web of acme on c1-hv", "VM ha-db of globex on c1-hv");
        target.selectByVisibleText("Hypervisor c1-hv (whole)");
        browser.findElement(By.id("prot-rpo")).clear();
        browser.findElement(By.id("prot-rpo")).sendKeys("60");
        browser.findElement(By.cssSelector("#protect button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#protections [data-protection]")).size() == 1);
        JsonNode protection = admin.get("/api/v1/ha/protections").json().get(0);
        assertThat(protection.path("hypervisorId").asString()).isEqualTo(c1Id);
        assertThat(protection.path("rpoSeconds").asInt()).isEqualTo(60);

        browser.findElement(By.id("fo-reason")).sendKeys("console drill");
        browser.findElement(By.cssSelector("#trigger button")).click();
        // The failovers refresh themselves while one moves: HOLDING shows up without a reload.
        wait.until(d -> d.findElements(By.cssSelector("#failovers [data-failover]")).size() == 1);
        new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(200)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector("#failovers [data-failover] .fo-state")).getText().equals("HOLDING"));
        JsonNode failover = admin.get("/api/v1/ha/failovers").json().get(0);
        assertThat(failover.path("state").asString()).isEqualTo("HOLDING");
        assertThat(failover.path("trigger").asString()).isEqualTo("MANUAL");
        assertThat(failover.path("reason").asString()).isEqualTo("console drill");
        assertThat(failover.path("hypervisorId").asString()).isEqualTo(c1Id);
        assertThat(browser.findElement(By.cssSelector("#failovers [data-failover]")).getText()).contains("console drill", "MANUAL");
        screenshot("ha");

        // A second failover of the held hypervisor: the API's refusal shows on the form, and nothing starts.
        browser.findElement(By.id("fo-reason")).sendKeys("again");
        browser.findElement(By.cssSelector("#trigger button")).click();
        assertThat(wait.until(d -> d.findElement(By.cssSelector("#trigger .error[role=alert]"))).getText()).contains("already failed over");
        assertThat(admin.get("/api/v1/ha/failovers").json().size()).isEqualTo(1);

        browser.findElement(By.cssSelector("#failovers button[aria-label='Fail back " + c1Id + "']")).click();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/ha/failovers/" + failover.path("id").asString()).text("state")).isEqualTo("FAILED_BACK"));
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector("#failovers [data-failover] .fo-state")).getText().equals("FAILED_BACK"));

        // A tenant's HA page shows none of the admin's protections and offers no trigger.
        logOut();
        logIn("acme-admin", "acme-password-1");
        browser.get(server + "/console/ha");
        assertThat(browser.findElement(By.id("protections")).getText()).contains("No protections").doesNotContain(c1Id);
        assertThat(browser.findElements(By.id("trigger"))).isEmpty();
        assertThat(browser.findElements(By.id("create-pool"))).isEmpty();
        // It is offered its own VM only (not globex's on the same hypervisor, not the hypervisor), and protects it.
        Select own = new Select(browser.findElement(By.id("prot-target")));
        assertThat(own.getOptions()).extracting(WebElement::getText).containsExactly("VM ha-web of acme on c1-hv");
        browser.findElement(By.cssSelector("#protect button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#protections [data-protection]")).size() == 1);
        JsonNode mine = acme.get("/api/v1/ha/protections").json().get(0);
        assertThat(mine.path("hypervisorId").asString()).isEqualTo(c1Id);
        assertThat(mine.path("vmId").asString()).isNotBlank();
        assertThat(admin.get("/api/v1/ha/protections").json().size()).as("the admin's and acme's").isEqualTo(2);
    }

    private String vmId(String vdc, String name) {
        for (JsonNode vm : acme.get("/api/v1/vdcs/" + vdc + "/vms").json()) {
            if (vm.path("name").asString().equals(name)) {
                return vm.path("id").asString();
            }
        }
        throw new AssertionError("no VM " + name + " in " + vdc);
    }

    private String vdcId(String name) {
        for (JsonNode vdc : admin.get("/api/v1/vdcs").json()) {
            if (vdc.path("name").asString().equals(name)) {
                return vdc.path("id").asString();
            }
        }
        throw new AssertionError("no VDC " + name);
    }

    private void logIn(String user, String password) {
        browser.get(server + "/console/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(d -> d.findElements(By.cssSelector("form.logout")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("form.logout .who")).getText()).startsWith(user);
    }

    private void logOut() {
        browser.findElement(By.cssSelector("form.logout button")).click();
        wait.until(d -> d.getCurrentUrl().contains("/console/login"));
    }

    private void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an element of the page says, for a failure's message. */
    private String textOf(By element) {
        try {
            return browser.findElement(element).getText();
        } catch (RuntimeException e) {
            return "(not found: " + e.getClass().getSimpleName() + ")";
        }
    }

    private static boolean isStale(WebElement element) {
        try {
            element.isDisplayed();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        }
    }

    private static Path executable(String variable, String fallback) {
        String configured = System.getenv(variable);
        Path path = Path.of(configured != null && !configured.isBlank() ? configured : fallback);
        return Files.isExecutable(path) ? path : null;
    }

    /** An OVA with one VM whose disk holds {@code diskBytes} of random bytes (with its manifest). */
    private static Path ova(String name, int diskBytes) throws IOException {
        Path dir = Files.createDirectories(work.resolve("pkg-" + name));
        byte[] disk = new byte[diskBytes];
        new Random(11).nextBytes(disk);
        Files.write(dir.resolve(name + "-disk1.img"), disk);
        OvfEnvelope envelope = new OvfEnvelope(List.of(new FileReference("file1", name + "-disk1.img", null)),
                List.of(new VirtualDisk("disk1", "file1", 1L << 30, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(new OvfNetwork("app-net", "the application network")),
                new VirtualSystem(name, name, null, null, new VirtualHardware("vmx-13", 1, 512L << 20,
                        List.of(new DiskAttachment("disk1", new StorageController(ControllerType.SCSI, "lsilogic", 0), 0)),
                        List.of(new NetworkAdapter("app-net", null, "VmxNet3")))));
        new OvfPackageWriter().write(dir, name + ".ovf", envelope);
        Path ova = work.resolve(name + ".ova");
        try (OutputStream out = Files.newOutputStream(ova)) {
            new OvaWriter().write(dir.resolve(name + ".ovf"), out);
        }
        return ova;
    }
}
