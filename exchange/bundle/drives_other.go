//go:build !windows

package bundle

import "path/filepath"

// removableDrives are the mount points where Linux desktops put USB drives.
func removableDrives(getenv func(string) string) []string {
	user := getenv("USER")
	roots := []string{"/mnt"}
	if user != "" {
		roots = append([]string{filepath.Join("/media", user), filepath.Join("/run/media", user)}, roots...)
	}
	return mountedUnder(roots...)
}
