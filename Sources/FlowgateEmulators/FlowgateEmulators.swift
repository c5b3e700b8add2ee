// The emulators of the four upstreams arrive with their own issue; see README.
