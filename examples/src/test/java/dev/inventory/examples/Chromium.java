package dev.inventory.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium, driven through the DevTools protocol: opens one page and evaluates
 * JavaScript in it. It needs {@code /usr/bin/chromium}; when missing it installs Debian's package (as root).
 */
final class Chromium implements AutoCloseable {
    static final String BINARY = "/usr/bin/chromium";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /**
     * Installs Debian's chromium package when the tests run as root on a Debian-like machine, so the
     * README's test command needs nothing installed by hand; elsewhere the caller fails with the
     * command to run.
     */
    private static synchronized void installWithApt() throws Exception {
        if (new File(BINARY).canExecute() || !new File("/usr/bin/apt-get").canExecute()
                || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        for (List<String> command : List.of(List.of("apt-get", "update", "-q"),
                List.of("apt-get", "install", "-y", "-q", "chromium"))) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return;
            }
        }
    }

    /** Starts Chromium on {@code url} and connects to the page. */
    static Chromium open(URI url) throws Exception {
        if (!new File(BINARY).canExecute()) {
            installWithApt();
        }
        if (!new File(BINARY).canExecute()) {
            throw new AssertionError(BINARY + " is missing and could not be installed here: install Debian's "
                    + "chromium: apt-get update && apt-get install -y chromium");
        }
        Path profile = Files.createTempDirectory("inventory-chromium-");
        Process process = new ProcessBuilder(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-allow-origins=*", url.toString())
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Waits.until("Chromium to write " + portFile, Duration.ofSeconds(60),
                    () -> Files.exists(portFile) && read(portFile).lines().count() >= 2, ok -> (Boolean) ok);
            int port = Integer.parseInt(read(portFile).lines().findFirst().orElseThrow().trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode[] page = new JsonNode[1];
            Waits.until("a page target for " + url, Duration.ofSeconds(30), () -> {
                try {
                    String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    for (JsonNode target : JSON.readTree(list)) {
                        if ("page".equals(target.path("type").asText()) && target.has("webSocketDebuggerUrl")) {
                            page[0] = target;
                            return true;
                        }
                    }
                    return list;
                } catch (IOException e) {
                    return e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return e.toString();
                }
            }, ok -> Boolean.TRUE.equals(ok));
            Chromium[] self = new Chromium[1];
            StringBuilder partial = new StringBuilder();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(
                    URI.create(page[0].get("webSocketDebuggerUrl").asText()), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String message = partial.toString();
                                partial.setLength(0);
                                self[0].received(message);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            self[0] = new Chromium(process, profile, socket);
            return self[0];
        } catch (Exception | Error e) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not start or answer (log: " + profile.resolve("chromium.log")
                    + "): " + e, e);
        }
    }

    private void received(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            if (node.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
                if (f != null) {
                    f.complete(node);
                }
            }
        } catch (IOException e) {
            // not a reply we wait for
        }
    }

    /** Evaluates {@code expression} in the page and answers its value as text ("" for undefined or null). */
    String eval(String expression) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode call = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
        call.putObject("params").put("expression", expression).put("returnByValue", true);
        try {
            socket.sendText(call.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode result = reply.get(10, TimeUnit.SECONDS).path("result").path("result");
            return result.path("value").isMissingNode() || result.path("value").isNull() ? ""
                    : result.path("value").asText();
        } catch (Exception e) {
            throw new AssertionError("Runtime.evaluate(" + expression + ") failed: " + e, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        // the browser's helper processes (network service, renderers) write into the profile too:
        // take them down with it, before the profile is deleted
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            try {
                helper.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                helper.destroyForcibly();
            }
        }
        deleteTree(profile);
    }

    /** Deletes a directory tree, tolerating files that vanish meanwhile (a dying process's temp files). */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
