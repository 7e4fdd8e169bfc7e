package org.etcdspring.boot.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.etcdspring.EtcdOperations;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.leader.EtcdLeaderAdvisingPostProcessor;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.leader.ParticipantSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.LeaderEventPublisher;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for leader election: campaigns for the roles of
 * {@link EtcdLeader @EtcdLeader} methods and, when Spring Integration is present, an
 * initiator for every {@link Candidate} bean, all on one session lease of
 * {@code etcd.leader.ttl}, with {@code etcd.leader.id} as the campaign value of the
 * {@code @EtcdLeader} roles.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass(EtcdLeaderRoles.class)
@ConditionalOnBean(EtcdOperations.class)
@EnableConfigurationProperties(EtcdProperties.class)
public final class EtcdLeaderAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ParticipantSession etcdParticipantSession(EtcdOperations etcd, EtcdProperties properties) {
		return new ParticipantSession(etcd.leases(),
				EtcdClients.positive("etcd.leader.ttl", properties.getLeader().getTtl()));
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdLeaderRoles etcdLeaderRoles(EtcdOperations etcd, ParticipantSession participantSession,
			EtcdProperties properties) {
		String id = properties.getLeader().getId();
		return new EtcdLeaderRoles(etcd, participantSession, (id != null) ? id : hostAndPid());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static EtcdLeaderAdvisingPostProcessor etcdLeaderAdvisingPostProcessor(ObjectProvider<EtcdLeaderRoles> roles) {
		return new EtcdLeaderAdvisingPostProcessor(roles::getObject);
	}

	private static String hostAndPid() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "localhost";
		}
		return host + ":" + ProcessHandle.current().pid();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Candidate.class)
	@ConditionalOnBean(Candidate.class)
	static class CandidateConfiguration {

		@Bean
		EtcdLeaderInitiators etcdLeaderInitiators(EtcdOperations etcd, ParticipantSession participantSession,
				ObjectProvider<Candidate> candidates, ObjectProvider<LeaderEventPublisher> leaderEventPublisher) {
			return new EtcdLeaderInitiators(etcd, participantSession, candidates.orderedStream().toList(),
					leaderEventPublisher.getIfUnique());
		}

	}

}
