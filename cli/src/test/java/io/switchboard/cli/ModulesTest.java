package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The libraries are named modules that resolve on a module path, from the jars and classes this module's tests run
 * with, and export no {@code internal} package. (The tests themselves run on the class path.)
 */
class ModulesTest {
  private static final List<String> LIBRARIES = List.of("io.switchboard.zmtp", "io.switchboard.socket",
      "io.switchboard.devices", "io.switchboard.bus", "io.switchboard.gateway",
      "io.switchboard.dashboard");

  @Test
  void librariesResolveAsModulesAndHideTheirInternals() {
    ModuleFinder finder = classPathAsModules();
    Configuration resolved = Configuration.resolve(finder, List.of(ModuleLayer.boot().configuration()),
        ModuleFinder.of(), LIBRARIES);

    for (String name : LIBRARIES) {
      ModuleDescriptor descriptor = resolved.findModule(name).map(ResolvedModule::reference)
          .map(ModuleReference::descriptor).orElseThrow();
      assertThat(descriptor.isAutomatic()).as(name + " has a module-info").isFalse();
      assertThat(descriptor.exports()).as(name + "'s exports")
          .noneMatch(export -> export.source().contains(".internal"));
      assertThat(descriptor.packages()).as(name + "'s packages").allMatch(p -> p.startsWith(name));
    }
  }

  /** Every class path entry that is a module (ours have a module-info; the rest are automatic), first one wins. */
  private static ModuleFinder classPathAsModules() {
    Map<String, ModuleReference> modules = new LinkedHashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class"))) {
        continue;   // test classes, or classes of a module without a descriptor
      }
      try {
        for (ModuleReference module : ModuleFinder.of(path).findAll()) {
          modules.putIfAbsent(module.descriptor().name(), module);
        }
      } catch (FindException notAModule) {
        // a jar whose name makes no module name: none of our libraries needs it
      }
    }
    return new ModuleFinder() {
      @Override
      public Optional<ModuleReference> find(String name) {
        return Optional.ofNullable(modules.get(name));
      }

      @Override
      public Set<ModuleReference> findAll() {
        return Set.copyOf(modules.values());
      }
    };
  }
}
