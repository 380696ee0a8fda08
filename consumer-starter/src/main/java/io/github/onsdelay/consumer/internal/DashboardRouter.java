package io.github.onsdelay.consumer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.github.onsdelay.consumer.OnsListenerContainer;
import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.consumer.actuate.OnsDashboardJournal;
import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import io.github.onsdelay.core.OnsDelayException;
import io.github.onsdelay.core.OnsSendException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The live page's routes, each behind the {@link DashboardGuard}:
 *
 * <ul>
 * <li>the page itself (one HTML file in the jar, its script and styles inline, so that it needs nothing from
 * outside) at the path, with what its actions need filled in (the CSRF token, whether there is a journal);</li>
 * <li>the report it polls as JSON at {@code /report}, and the journal's exhausted messages at {@code /exhausted};</li>
 * <li>its actions, as POSTs answered with the outcome: {@code /listeners/{id}/{pause|resume|stop|start}},
 * {@code /exhausted/{id}/replay} and {@code /cancel} (producer and key), the last two with a journal only.</li>
 * </ul>
 */
public final class DashboardRouter {

    private static final String PAGE = "META-INF/ons-delay/dashboard.html";

    private static final int EXHAUSTED_SHOWN = 50;

    private final String path;

    private final OnsDelayReporter reporter;

    private final OnsListenerRegistry listeners;

    private final @Nullable OnsDashboardJournal journal;

    private final DashboardGuard guard;

    private final String page;

    public DashboardRouter(String path, OnsDelayReporter reporter, OnsListenerRegistry listeners,
            @Nullable OnsDashboardJournal journal, DashboardGuard guard) {
        this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.reporter = reporter;
        this.listeners = listeners;
        this.journal = journal;
        this.guard = guard;
        this.page = readPage().replace("__ONS_DELAY_JOURNAL__", Boolean.toString(journal != null));
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
            .GET(path, view(this::page))
            .GET(path + "/", view(this::page))
            .GET(path + "/report", view(request -> json(reporter.report())))
            .GET(path + "/exhausted", view(request -> journal == null ? notFound("ons-delay has no journal here")
                : json(journal.exhausted(EXHAUSTED_SHOWN))))
            .POST(path + "/listeners/{id}/{action}", act(this::control))
            .POST(path + "/exhausted/{id}/replay", act(this::replay))
            .POST(path + "/cancel", act(this::cancel))
            .build();
    }

    private HandlerFunction<ServerResponse> view(HandlerFunction<ServerResponse> handler) {
        return request -> {
            ServerResponse refused = guard.refuseView(request);
            return refused != null ? refused : handler.handle(request);
        };
    }

    private HandlerFunction<ServerResponse> act(HandlerFunction<ServerResponse> handler) {
        return request -> {
            ServerResponse refused = guard.refuseAction(request);
            if (refused != null) {
                return refused;
            }
            try {
                return handler.handle(request);
            }
            catch (IllegalArgumentException | IllegalStateException ex) {
                return DashboardGuard.refusal(HttpStatus.BAD_REQUEST, String.valueOf(ex.getMessage()));
            }
            catch (OnsSendException ex) {
                // The broker refused or did not answer: the action's outcome, not the page's fault.
                return DashboardGuard.refusal(HttpStatus.BAD_GATEWAY, String.valueOf(ex.getMessage()));
            }
            catch (OnsDelayException ex) {
                // A listener that cannot start (its consumer refused by the server, say): why, in its words.
                return DashboardGuard.refusal(HttpStatus.CONFLICT, String.valueOf(ex.getMessage()));
            }
        };
    }

    private ServerResponse control(ServerRequest request) {
        String id = request.pathVariable("id");
        OnsListenerContainer container = listeners.getListenerContainer(id);
        if (container == null) {
            return notFound("No listener '" + id + "'");
        }
        String action = request.pathVariable("action").toLowerCase(Locale.ROOT);
        switch (action) {
            case "pause" -> container.pause();
            case "resume" -> container.resume();
            case "stop" -> container.stop();
            case "start" -> container.start();
            default -> throw new IllegalArgumentException("Unknown action '" + action + "' for listener '" + id
                + "': use pause, resume, stop or start");
        }
        return outcome("Listener " + id + ": " + action + " done, now " + container.getState(),
            Map.of("listener", OnsDelayReporter.listener(container)));
    }

    private ServerResponse replay(ServerRequest request) {
        if (journal == null) {
            return notFound("ons-delay has no journal here: nothing to replay");
        }
        long id;
        try {
            id = Long.parseLong(request.pathVariable("id"));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + request.pathVariable("id") + "' is not an exhausted message's id");
        }
        return outcome(journal.replay(id), Map.of());
    }

    private ServerResponse cancel(ServerRequest request) throws Exception {
        if (journal == null) {
            return notFound("ons-delay has no journal here: nothing to cancel");
        }
        Map<?, ?> body = request.body(Map.class);
        Object producer = body == null ? null : body.get("producer");
        Object key = body == null ? null : body.get("businessKey");
        if (!(producer instanceof String name) || name.isBlank() || !(key instanceof String businessKey)
                || businessKey.isBlank()) {
            throw new IllegalArgumentException("A cancel needs a producer and a businessKey");
        }
        return outcome(journal.cancel(name, businessKey), Map.of());
    }

    private static ServerResponse outcome(String outcome, Map<String, Object> more) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("outcome", outcome);
        body.putAll(more);
        return json(body);
    }

    private static ServerResponse notFound(String message) {
        return DashboardGuard.refusal(HttpStatus.NOT_FOUND, message);
    }

    private static ServerResponse json(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
            .body(body);
    }

    private ServerResponse page(ServerRequest request) {
        DashboardGuard.Csrf csrf = guard.csrf(request);
        // Behind a context path, the page's data and actions are under it too; a path of another shape is not
        // written into the page's script.
        String contextPath = request.servletRequest().getContextPath();
        String base = (contextPath.matches("[A-Za-z0-9._~/-]*") ? contextPath : "") + path;
        String filled = page.replace("__ONS_DELAY_BASE_URL__", base).replace("__ONS_DELAY_CSRF_HEADER__", csrf == null ? "" : HtmlUtils.htmlEscape(csrf.header()))
            .replace("__ONS_DELAY_CSRF_TOKEN__", csrf == null ? "" : HtmlUtils.htmlEscape(csrf.token()));
        return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .cacheControl(CacheControl.noStore()).body(filled);
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
