package io.shopmesh.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ServiceProcess} runs: {@code java <jvmFlags> -jar <jar> --conf <conf>}.
 *
 * @param name the service name used in log lines, e.g. {@code users}
 * @param jar the service's fat jar
 * @param conf its YAML configuration, passed as {@code --conf}
 * @param jvmFlags flags placed before {@code -jar}
 * @param env environment variables added to this JVM's environment
 * @param logFile where stdout and stderr are appended
 * @param classArchives directory of the services' class data archives ({@link ClassArchive}); null: none
 */
public record ServiceSpec(String name, Path jar, Path conf, List<String> jvmFlags, Map<String, String> env,
    Path logFile, Path classArchives) {

  public ServiceSpec {
    jvmFlags = List.copyOf(jvmFlags);
    env = Map.copyOf(env);
  }
}
