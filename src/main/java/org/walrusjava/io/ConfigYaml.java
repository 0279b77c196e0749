package org.walrusjava.io;

import java.io.Reader;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML reader of experiment configs and their overrides. Plain scalars become booleans only when they are
 * true or false (YAML 1.2): SnakeYAML's YAML 1.1 default also turns yes/no/on/off into booleans, so that
 * {@code augment: off} would silently mean false. Those words stay strings here, and a boolean option that
 * receives one is refused by name.
 */
final class ConfigYaml {
    private static final Pattern YAML12_BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");

    private ConfigYaml() {}

    static Object load(Reader in) {
        return yaml().load(in);
    }

    static Object load(String text) {
        return yaml().load(text);
    }

    private static Yaml yaml() {
        LoaderOptions loading = new LoaderOptions();
        DumperOptions dumping = new DumperOptions();
        return new Yaml(new SafeConstructor(loading), new Representer(dumping), dumping, loading, new Yaml12Booleans());
    }

    private static final class Yaml12Booleans extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            return tag.equals(Tag.BOOL) && !YAML12_BOOL.matcher(value).matches() ? Tag.STR : tag;
        }
    }
}
