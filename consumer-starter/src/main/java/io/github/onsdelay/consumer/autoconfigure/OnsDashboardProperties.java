package io.github.onsdelay.consumer.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The live page, under {@code mqs.ons.dashboard}: off unless enabled.
 */
@ConfigurationProperties("mqs.ons.dashboard")
public class OnsDashboardProperties {

    /** Whether the application serves the live page of its producers and listeners, and its actions. It shows business keys and handler errors, never bodies; with Spring Security it asks for the role. */
    private boolean enabled;

    /** Role a user needs, with Spring Security, to see the page and act on it (without the ROLE_ prefix). */
    private String role = "ONS_DELAY_ADMIN";

    /** Exact authority a user needs instead of the role (SCOPE_ons-delay, a group, a custom role prefix). */
    private @Nullable String authority;

    /** Where the page is served; its data is at this path plus /report. */
    private String path = "/ons-delay";

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getRole() {
        return this.role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public @Nullable String getAuthority() {
        return this.authority;
    }

    public void setAuthority(@Nullable String authority) {
        this.authority = authority;
    }

    public String getPath() {
        return this.path;
    }

    public void setPath(String path) {
        this.path = path;
    }

}
