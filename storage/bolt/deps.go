package bolt

import _ "go.etcd.io/bbolt" // placeholder until the store lands
