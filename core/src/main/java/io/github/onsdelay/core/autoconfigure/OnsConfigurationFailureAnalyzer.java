package io.github.onsdelay.core.autoconfigure;

import io.github.onsdelay.core.OnsConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Shows an ons-delay configuration error as Spring Boot's start-up report, with what to do.
 */
class OnsConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<OnsConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OnsConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
            "Correct what the message names: the property (under mqs.ons in application.yml or the environment), or the bean and method.", cause);
    }

}
