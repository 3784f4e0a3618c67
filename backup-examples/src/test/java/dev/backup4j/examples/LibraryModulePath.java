package dev.backup4j.examples;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The module path an application would have: backup4j's library modules as this build made them (their jars under
 * {@code mvn verify}, their classes folders under {@code mvn test}) and their dependencies, taken from this test's
 * class path without what only tests use there: the test classes folders, backup-core's test-jar (it holds packages
 * of {@code dev.backup4j.core}, which two modules may not share) and backup-examples' own classes (not a module).
 */
final class LibraryModulePath {
    /** The modules an application requires; each must be found as a named (non-automatic) module. */
    static final List<String> LIBRARY_MODULES =
            List.of("dev.backup4j.retention", "dev.backup4j.core", "dev.backup4j.ssh", "dev.backup4j.s3",
                    "dev.backup4j.ops");

    private LibraryModulePath() {
    }

    static List<Path> entries() {
        Path ownClasses = Path.of("target/classes").toAbsolutePath();
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath();
            if (p.endsWith("test-classes") || p.getFileName().toString().endsWith("-tests.jar") || p.equals(ownClasses)
                    || !Files.exists(p)) {
                continue;
            }
            entries.add(p);
        }
        ModuleFinder finder = ModuleFinder.of(entries.toArray(Path[]::new));
        for (String name : LIBRARY_MODULES) {
            ModuleReference m = finder.find(name)
                    .orElseThrow(() -> new IllegalStateException(name + " is not on the module path: " + entries));
            if (m.descriptor().isAutomatic()) {
                throw new IllegalStateException(name + " has no module-info: " + m.location());
            }
        }
        return entries;
    }

    static String asArgument(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    /** Every package the library modules export (unqualified), sorted. */
    static Set<String> exportedPackages(List<Path> entries) {
        ModuleFinder finder = ModuleFinder.of(entries.toArray(Path[]::new));
        Set<String> packages = new TreeSet<>();
        for (String name : LIBRARY_MODULES) {
            for (ModuleDescriptor.Exports e : finder.find(name).orElseThrow().descriptor().exports()) {
                if (!e.isQualified()) {
                    packages.add(e.source());
                }
            }
        }
        return packages;
    }
}
