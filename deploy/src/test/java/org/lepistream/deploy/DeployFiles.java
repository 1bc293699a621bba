package org.lepistream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads the deploy files (paths relative to the deploy module) as plain maps and lists. */
final class DeployFiles {

    static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path REPO = DEPLOY.getParent();

    private DeployFiles() {
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of a file. */
    static List<Map<String, Object>> yamlDocuments(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(text(file))) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    static Map<String, Object> yaml(Path file) {
        return yamlDocuments(file).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) {
            throw new AssertionError("expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw new AssertionError("expected a list, got " + o);
        }
        return (List<Object>) o;
    }

    /** map.get(a).get(b)... or null. */
    static Object at(Object root, String... path) {
        Object cur = root;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }
}
