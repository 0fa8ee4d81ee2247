package dev.inventory.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inventory.core.Inventory;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.core.event.InventoryEvent;
import dev.inventory.core.event.InventoryListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A live availability page on localhost: {@code /} is a small HTML table of stock per SKU x location,
 * {@code /events} a Server-Sent Events stream of stock levels, fed by an {@link InventoryListener} on
 * the {@link Inventory} (the library's change stream: every committed change's event carries the level
 * after it). A new stream starts with the current level of every SKU seen so far ({@code snapshot}).
 */
final class LivePage implements InventoryListener, AutoCloseable {
    private final Inventory inventory;
    private final Set<Sku> skus = ConcurrentHashMap.newKeySet();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final byte[] page;

    /** Starts the page on {@code 127.0.0.1:port} (0: a free port) and subscribes to {@code inventory}. */
    LivePage(Inventory inventory, int port, List<Sku> initialSkus) throws IOException {
        this.inventory = inventory;
        this.skus.addAll(initialSkus);
        try (InputStream in = LivePage.class.getResourceAsStream("/live/index.html")) {
            if (in == null) {
                throw new IllegalStateException("live/index.html is missing from the classpath");
            }
            this.page = in.readAllBytes();
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::page);
        server.createContext("/events", this::events);
        server.start();
        inventory.addListener(this);
    }

    /** The page's address. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** How many browsers are connected to the stream now. */
    int subscribers() {
        return subscribers.size();
    }

    @Override
    public void onEvent(InventoryEvent event) {
        skus.add(event.sku());
        String data = json(event.level(), event.type().wireName());
        for (Subscriber s : subscribers) {
            s.send(data);
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        Subscriber subscriber = new Subscriber(exchange);
        // subscribe first, then send the snapshot: an update racing with it is newer and the page
        // keeps the highest version per level
        subscribers.add(subscriber);
        for (Sku sku : skus) {
            for (StockLevel level : inventory.levels(sku)) {
                subscriber.send(json(level, "snapshot"));
            }
        }
        try {
            subscriber.closed.await(); // the stream stays open until the browser goes or the page stops
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscribers.remove(subscriber);
            exchange.close();
        }
    }

    private static String json(StockLevel l, String event) {
        return "{\"sku\":\"" + escape(l.sku().value()) + "\",\"locationId\":\"" + escape(l.locationId().value())
                + "\",\"available\":" + l.available() + ",\"onHand\":" + l.onHand() + ",\"reserved\":"
                + l.reserved() + ",\"allocated\":" + l.allocated() + ",\"version\":" + l.version()
                + ",\"event\":\"" + escape(event) + "\"}";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        inventory.removeListener(this);
        for (Subscriber s : subscribers) {
            s.closed.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    /** One open stream. */
    private final class Subscriber {
        private final OutputStream body;
        final CountDownLatch closed = new CountDownLatch(1);

        Subscriber(HttpExchange exchange) {
            this.body = exchange.getResponseBody();
        }

        synchronized void send(String data) {
            if (closed.getCount() == 0) {
                return;
            }
            try {
                body.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                body.flush();
            } catch (IOException | UncheckedIOException e) {
                closed.countDown(); // the browser went away
            }
        }
    }
}
