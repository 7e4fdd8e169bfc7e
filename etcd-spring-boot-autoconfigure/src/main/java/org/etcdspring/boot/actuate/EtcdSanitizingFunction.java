package org.etcdspring.boot.actuate;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Keeps etcd's secrets out of {@code /actuator/configprops} and {@code /actuator/env},
 * whatever their {@code show-values} setting: masks {@code etcd.password} and the user
 * info of {@code etcd.peers} entries (which the starter rejects, but a rejected value
 * still sits in the environment), in every spelling of the names, such as
 * {@code ETCD_PASSWORD} or {@code etcd.peers[0]}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdSanitizingFunction implements SanitizingFunction {

	private static final Pattern USER_INFO = Pattern.compile("(?<=://|^|,)[^/@\\s,]*@");

	private static final Pattern PEERS = Pattern.compile("etcdpeers\\d*");

	@Override
	public SanitizableData apply(SanitizableData data) {
		String name = canonicalName(data.getKey());
		if ("etcdpassword".equals(name)) {
			return data.withSanitizedValue();
		}
		if (PEERS.matcher(name).matches() && data.getValue() != null) {
			return data.withValue(withoutUserInfo(data.getValue()));
		}
		return data;
	}

	/**
	 * The key in lower case, letters and digits only: {@code etcd.peers[0]},
	 * {@code ETCD_PEERS_0_} and {@code etcd.peers.0} are all {@code etcdpeers0}.
	 */
	private static String canonicalName(@Nullable String key) {
		return (key != null) ? key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") : "";
	}

	private static Object withoutUserInfo(Object value) {
		if (value instanceof Collection<?> values) {
			return values.stream().map((element) -> (element != null) ? withoutUserInfo(element) : null).toList();
		}
		if (value instanceof CharSequence text) {
			return USER_INFO.matcher(text).replaceAll(SanitizableData.SANITIZED_VALUE + "@");
		}
		return value;
	}

}
