package io.github.onsdelay.consumer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The live page's routes: the page itself (one HTML file in the jar, with its script and styles inline, so
 * that it needs nothing from outside) at the path, and the report it polls as JSON at the path plus
 * {@code /report}.
 */
public final class DashboardRouter {

    private static final String PAGE = "META-INF/ons-delay/dashboard.html";

    private final String path;

    private final OnsDelayReporter reporter;

    private final String page;

    public DashboardRouter(String path, OnsDelayReporter reporter) {
        this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.reporter = reporter;
        this.page = readPage().replace("__ONS_DELAY_REPORT_URL__", this.path + "/report");
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
            .GET(path, request -> page())
            .GET(path + "/", request -> page())
            .GET(path + "/report", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore()).body(reporter.report()))
            .build();
    }

    private ServerResponse page() {
        return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .cacheControl(CacheControl.noCache()).body(page);
    }

    private static String readPage() {
        try (InputStream in = new ClassPathResource(PAGE, DashboardRouter.class.getClassLoader()).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The live page " + PAGE + " is missing from the ons-delay consumer jar", ex);
        }
    }

}
