package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

/**
 * orchestrator/openapi builds the service's document from the service's sources with the service's dependencies,
 * listed again in its pom: one the service gains and that module lacks (an extension that adds to the document,
 * security for one) would leave the document short without a compile error to say so.
 */
class OpenApiModuleTest {

    private static final Path SERVICE_POM = Path.of("pom.xml");
    private static final Path OPENAPI_POM = Path.of("../openapi/pom.xml");

    /** groupId:artifactId:type:classifier of each dependency outside the test scope, the module's own document aside. */
    private static Set<String> mainDependencies(Path pom) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        var document = factory.newDocumentBuilder().parse(pom.toFile());
        Set<String> dependencies = new TreeSet<>();
        NodeList dependencyLists = document.getDocumentElement().getElementsByTagName("dependencies");
        for (int i = 0; i < dependencyLists.getLength(); i++) {
            Node list = dependencyLists.item(i);
            if (!"project".equals(list.getParentNode().getNodeName())) {
                continue; // dependencyManagement or a plugin's
            }
            NodeList entries = ((Element) list).getElementsByTagName("dependency");
            for (int j = 0; j < entries.getLength(); j++) {
                var entry = (Element) entries.item(j);
                String scope = text(entry, "scope", "compile");
                String artifactId = text(entry, "artifactId", "");
                if (!scope.equals("test") && !artifactId.equals("skiff-orchestrator-openapi")) {
                    dependencies.add(text(entry, "groupId", "") + ":" + artifactId + ":" + text(entry, "type", "jar")
                            + ":" + text(entry, "classifier", ""));
                }
            }
        }
        return dependencies;
    }

    /** A child element's text (not a descendant's: an exclusion has an artifactId too). */
    private static String text(Element entry, String name, String otherwise) {
        for (Node child = entry.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (name.equals(child.getNodeName())) {
                return child.getTextContent().trim();
            }
        }
        return otherwise;
    }

    @Test
    void shouldBuildTheDocumentWithEveryDependencyOfTheService() throws Exception {
        // Given
        Set<String> service = mainDependencies(SERVICE_POM);
        // When
        Set<String> openapi = mainDependencies(OPENAPI_POM);
        // Then
        assertThat(service).contains("io.quarkus:quarkus-rest-jackson:jar:");
        assertThat(openapi).containsAll(service);
    }
}
