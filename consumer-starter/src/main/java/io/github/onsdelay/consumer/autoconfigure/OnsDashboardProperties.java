package io.github.onsdelay.consumer.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The live page, under {@code mqs.ons.dashboard}: off unless enabled.
 */
@ConfigurationProperties("mqs.ons.dashboard")
public class OnsDashboardProperties {

    /** Whether the application serves the live page of its producers and listeners. It shows message keys and handler errors: protect the path as you would the Actuator endpoints. */
    private boolean enabled;

    /** Where the page is served; its data is at this path plus /report. */
    private String path = "/ons-delay";

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return this.path;
    }

    public void setPath(String path) {
        this.path = path;
    }

}
