package dev.backup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What an application gets from the repository matches the reactor: backup4j-bom lists exactly the modules that are
 * published (every module of the root pom but the BOM itself and those with {@code maven.deploy.skip}), at the
 * reactor's version, and each published module has a module-info.java and attaches sources and javadoc jars.
 */
class PublishedModulesTest {
    static final Path ROOT = Path.of("..");

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        String version = text(root.getDocumentElement(), "version");
        Set<String> published = new TreeSet<>();
        for (String module : texts(child(root.getDocumentElement(), "modules"), "module")) {
            if (module.equals("backup4j-bom")) {
                continue;
            }
            Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
            Element props = child(pom.getDocumentElement(), "properties");
            if (props != null && "true".equals(text(props, "maven.deploy.skip"))) {
                continue;
            }
            published.add(text(pom.getDocumentElement(), "artifactId"));
            assertTrue(Files.exists(ROOT.resolve(module).resolve("src/main/java/module-info.java")),
                    module + " has no module-info.java");
            List<String> plugins = new ArrayList<>();
            for (Element p : children(child(child(pom.getDocumentElement(), "build"), "plugins"), "plugin")) {
                plugins.add(text(p, "artifactId"));
            }
            assertTrue(plugins.containsAll(List.of("maven-source-plugin", "maven-javadoc-plugin")),
                    module + " attaches no sources or javadoc jar: " + plugins);
        }
        // a parse that found nothing would pass the checks below on nothing
        assertTrue(published.containsAll(Set.of("backup-core", "backup-retention", "backup-ssh")),
                published.toString());

        Document bom = parse(ROOT.resolve("backup4j-bom/pom.xml"));
        assertEquals(version, text(bom.getDocumentElement(), "version"), "backup4j-bom's version");
        Set<String> listed = new TreeSet<>();
        for (Element d : children(child(child(bom.getDocumentElement(), "dependencyManagement"), "dependencies"),
                "dependency")) {
            assertEquals("dev.backup4j", text(d, "groupId"));
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId"));
            listed.add(text(d, "artifactId"));
        }
        assertEquals(published, listed, "modules in backup4j-bom");
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? null : c.getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }
}
