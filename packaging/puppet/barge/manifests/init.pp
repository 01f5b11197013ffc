# @summary Installs barge, writes /etc/barge/barge.yaml and runs barged.
#
# A change of barge.yaml or of a barge::message reloads barged (SIGHUP):
# definitions, quarantine, spool and batch limits take effect at once;
# inputs, folders, host, hdfs and control settings at the next restart
# (barged(8)).
#
# @param namenodes       host:port of every NameNode; may be left empty
#                        when hadoop_conf_dir names the cluster.
# @param hadoop_conf_dir folder of the cluster's core-site.xml and
#                        hdfs-site.xml (e.g. /etc/hadoop/conf): the
#                        NameNodes, Kerberos, protection, replication and
#                        block size barge.yaml leaves out come from there.
# @param nameservice     with hadoop_conf_dir: the HA nameservice to write
#                        to, when not the one of fs.defaultFS.
# @param package_ensure  ensure of the barge package.
# @param host            names this agent in HDFS file names; auto = hostname.
# @param hdfs_root       HDFS folder everything goes under.
# @param hdfs_user       HDFS user barged writes as.
# @param inputs          syslog files: [{path => ..., start_at => end|beginning}].
# @param spool_max_bytes spool size past which input pauses (K, M, G).
# @param batch_max_bytes compressed size at which a segment is sealed.
# @param batch_max_age   longest a segment stays open (s, m, h).
# @param gzip_level      1..9.
# @param output_format   tsv.gz or avro, for messages without format:.
# @param quarantine      keep invalid messages in HDFS's _invalid folder.
# @param metrics_address address of the Prometheus endpoint.
# @param metrics_port    its port; undef turns it off.
# @param service_ensure  running or stopped.
# @param service_enable  start at boot.
# @param service_provider
#   undef: the platform's (systemd).  'base': no service manager, for
#   containers and hosts where systemd is not PID 1: barged is started as
#   a daemon with a pid file in /run/barge and reloaded with kill -HUP.
class barge (
  Array[Pattern[/\A[A-Za-z0-9.-]+:[0-9]+\z/]] $namenodes = [],
  Optional[Pattern[/\A\/[A-Za-z0-9._\/-]*\z/]] $hadoop_conf_dir = undef,
  Optional[Pattern[/\A[A-Za-z0-9._-]+\z/]] $nameservice = undef,
  String[1] $package_ensure = 'installed',
  Pattern[/\A[A-Za-z0-9._-]+\z/] $host = 'auto',
  Pattern[/\A\/[A-Za-z0-9._\/-]*\z/] $hdfs_root = '/data/barge',
  Pattern[/\A[A-Za-z0-9._-]+\z/] $hdfs_user = 'barge',
  Array[Struct[{
    path               => Pattern[/\A\/[A-Za-z0-9._\/@+-]+\z/],
    Optional[start_at] => Enum['end', 'beginning'],
  }], 1] $inputs = [{ 'path' => '/var/log/syslog', 'start_at' => 'end' }],
  Pattern[/\A[0-9]+[KMG]?\z/] $spool_max_bytes = '10G',
  Pattern[/\A[0-9]+[KMG]?\z/] $batch_max_bytes = '128M',
  Pattern[/\A[0-9]+[smh]?\z/] $batch_max_age = '1h',
  Integer[1, 9] $gzip_level = 6,
  Enum['tsv.gz', 'avro'] $output_format = 'tsv.gz',
  Boolean $quarantine = true,
  Pattern[/\A[0-9A-Za-z.:\[\]-]+\z/] $metrics_address = '127.0.0.1',
  Optional[Integer[1, 65535]] $metrics_port = 9732,
  Enum['running', 'stopped'] $service_ensure = 'running',
  Boolean $service_enable = true,
  Optional[Enum['base', 'systemd']] $service_provider = undef,
) {
  if $namenodes.empty and $hadoop_conf_dir == undef {
    fail('barge: set namenodes, or hadoop_conf_dir to take them from the cluster')
  }
  if $nameservice != undef and $hadoop_conf_dir == undef {
    fail('barge: nameservice needs hadoop_conf_dir')
  }
  $config_dir = '/etc/barge'
  $config_file = "${config_dir}/barge.yaml"
  $messages_dir = "${config_dir}/messages.d"
  $metrics = $metrics_port ? {
    undef   => '',
    default => "${metrics_address}:${metrics_port}",
  }

  package { 'barge':
    ensure => $package_ensure,
  }

  file { $config_file:
    ensure       => file,
    owner        => 'root',
    group        => 'root',
    mode         => '0644',
    content      => epp('barge/barge.yaml.epp', {
      'host'            => $host,
      'messages_dir'    => $messages_dir,
      'inputs'          => $inputs,
      'namenodes'       => $namenodes,
      'hadoop_conf_dir' => $hadoop_conf_dir,
      'nameservice'     => $nameservice,
      'hdfs_user'       => $hdfs_user,
      'hdfs_root'       => $hdfs_root,
      'spool_max_bytes' => $spool_max_bytes,
      'batch_max_bytes' => $batch_max_bytes,
      'batch_max_age'   => $batch_max_age,
      'gzip_level'      => $gzip_level,
      'output_format'   => $output_format,
      'quarantine'      => $quarantine,
      'metrics'         => $metrics,
    }),
    validate_cmd => '/usr/bin/barge check --config %',
    require      => Package['barge'],
    notify       => Service['barged'],
  }

  file { $messages_dir:
    ensure  => directory,
    owner   => 'root',
    group   => 'root',
    mode    => '0755',
    require => Package['barge'],
  }

  if $service_provider == 'base' {
    # barged detaches and writes its pid file as root before it becomes
    # barge; /run/barge belongs to barge so it can remove both at exit.
    $pidfile = '/run/barge/barged.pid'
    $pid = "\"\$(cat ${pidfile} 2>/dev/null)\""
    $start = join([
      'install -d -o barge -g barge -m 0755 /run/barge',
      "/usr/sbin/barged -c ${config_file} -u barge -p ${pidfile}",
    ], ' && ')
    # SIGTERM seals and syncs; wait (at most 60 s) until it has exited.
    $stop = join([
      "p=${pid}",
      '[ -n "$p" ] || exit 0',
      'kill -TERM $p 2>/dev/null || exit 0',
      'i=0',
      'while kill -0 $p 2>/dev/null; do i=$((i+1)); [ $i -lt 600 ] || exit 1; sleep 0.1; done',
    ], '; ')
    $status = "p=${pid}; [ -n \"\$p\" ] && kill -0 \$p 2>/dev/null"
    service { 'barged':
      ensure   => $service_ensure,
      provider => 'base',
      start    => "/bin/sh -c '${start}'",
      stop     => "/bin/sh -c '${stop}'",
      status   => "/bin/sh -c '${status}'",
      restart  => "/bin/sh -c 'kill -HUP ${pid}'",
    }
  } else {
    service { 'barged':
      ensure   => $service_ensure,
      enable   => $service_enable,
      provider => $service_provider,
      restart  => '/bin/systemctl reload barged.service',
    }
  }
  Package['barge'] -> Service['barged']
}
