# puppet apply --modulepath=packaging/puppet examples/init.pp
class { 'barge':
  namenodes => ['nn1.example.com:8020', 'nn2.example.com:8020'],
  hdfs_root => '/data/barge',
  inputs    => [{ 'path' => '/var/log/syslog', 'start_at' => 'end' }],
}

barge::message { 'EmailSent':
  version     => 1,
  description => 'A transactional email left the mailer.',
  owner       => 'growth@example.com',
  fields      => [
    { 'name' => 'username', 'type' => 'string' },
    { 'name' => 'sent_at', 'type' => 'timestamp' },
    { 'name' => 'campaign', 'type' => 'string', 'max_length' => 64 },
    { 'name' => 'campaign_version', 'type' => 'int32' },
    { 'name' => 'opened', 'type' => 'bool', 'nullable' => true },
  ],
}
