package io.github.onsdelay.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Maven Central requires of every published module, checked on the artifacts this build has just
 * packaged: a main, a sources and a Javadoc jar (the Javadoc built without errors, or the build would have
 * failed), the license in the jar, and the POM metadata (name, description, url, licenses, scm, developers),
 * its own or inherited; and a BOM that lists every published module at the reactor's version.
 */
class PublishedArtifactsTests {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Published modules: folder to artifact id. Everything else in the reactor is marked not to be deployed. */
    static final Map<String, String> PUBLISHED = new LinkedHashMap<>();

    static {
        PUBLISHED.put("core", "ons-delay-core");
        PUBLISHED.put("producer-starter", "ons-delay-producer-spring-boot-starter");
        PUBLISHED.put("consumer-starter", "ons-delay-consumer-spring-boot-starter");
        PUBLISHED.put("jdbc-journal", "ons-delay-jdbc");
        PUBLISHED.put("embedded-rocketmq", "ons-delay-embedded-rocketmq");
        PUBLISHED.put("embedded-rocketmq/server", "ons-delay-embedded-rocketmq-server");
    }

    static List<String> publishedFolders() {
        return new ArrayList<>(PUBLISHED.keySet());
    }

    @ParameterizedTest
    @MethodSource("publishedFolders")
    void eachPublishedModuleHasMainSourcesAndJavadocJarsWithTheLicense(String folder) throws Exception {
        String artifact = PUBLISHED.get(folder);
        Path target = ROOT.resolve(folder).resolve("target");
        String version = version();
        Path main = target.resolve(artifact + "-" + version + ".jar");
        Path sources = target.resolve(artifact + "-" + version + "-sources.jar");
        Path javadoc = target.resolve(artifact + "-" + version + "-javadoc.jar");

        assertThat(main).exists();
        assertThat(sources).exists();
        assertThat(javadoc).exists();
        try (JarFile jar = new JarFile(main.toFile())) {
            assertThat(jar.getEntry("META-INF/LICENSE")).as(artifact + " carries the license").isNotNull();
        }
        try (JarFile jar = new JarFile(sources.toFile())) {
            assertThat(jar.stream().anyMatch(entry -> entry.getName().endsWith(".java"))).as("sources").isTrue();
        }
        try (JarFile jar = new JarFile(javadoc.toFile())) {
            assertThat(jar.getEntry("index.html")).as(artifact + " Javadoc").isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("publishedFolders")
    void eachPublishedModuleHasTheMetadataMavenCentralRequires(String folder) throws Exception {
        Element pom = pom(ROOT.resolve(folder).resolve("pom.xml"));
        Element parent = child(pom, "parent") != null ? pom(ROOT.resolve("pom.xml")) : null;

        assertThat(text(pom, "artifactId")).isEqualTo(PUBLISHED.get(folder));
        assertThat(text(pom, "name")).as("name").isNotBlank();
        assertThat(text(pom, "description")).as("description").isNotBlank();
        for (String required : List.of("url", "licenses", "scm", "developers")) {
            Element own = child(pom, required);
            Element inherited = parent == null ? null : child(parent, required);
            assertThat(own != null || inherited != null).as(folder + " has " + required).isTrue();
        }
        Element licenses = child(pom, "licenses") != null ? child(pom, "licenses") : child(parent, "licenses");
        assertThat(licenses.getTextContent()).contains("Apache License, Version 2.0");
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Element bom = pom(ROOT.resolve("bom/pom.xml"));

        assertThat(text(bom, "version")).isEqualTo(version());
        assertThat(child(bom, "parent")).as("the BOM must not carry the Spring Boot BOM of the parent").isNull();
        NodeList artifacts = child(child(bom, "dependencyManagement"), "dependencies").getElementsByTagName("artifactId");
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < artifacts.getLength(); i++) {
            listed.add(artifacts.item(i).getTextContent().trim());
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(PUBLISHED.values());
        assertThat(text(pom(ROOT.resolve("embedded-rocketmq/server/pom.xml")), "version")).isEqualTo(version());
    }

    @Test
    void everyOtherModuleIsKeptFromPublishing() throws Exception {
        NodeList modules = child(pom(ROOT.resolve("pom.xml")), "modules").getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String folder = modules.item(i).getTextContent().trim();
            if (PUBLISHED.containsKey(folder) || folder.equals("bom")) {
                continue;
            }
            Element properties = child(pom(ROOT.resolve(folder).resolve("pom.xml")), "properties");
            assertThat(properties).as(folder + " properties").isNotNull();
            assertThat(text(properties, "maven.deploy.skip")).as(folder + " is not published").isEqualTo("true");
        }
    }

    @Test
    void theLicenseIsApache2() throws IOException {
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License").contains("Version 2.0, January 2004");
    }

    private static String version() throws Exception {
        return text(pom(ROOT.resolve("pom.xml")), "version");
    }

    private static Element pom(Path file) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }

}
