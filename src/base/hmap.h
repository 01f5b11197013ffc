/*
 * A small open-addressing hash map from byte strings to pointers.  Keys
 * are copied; values are owned by the caller.
 */
#ifndef BASE_HMAP_H
#define BASE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap;

struct hmap	*hmap_new(void);
/* Frees the map and its key copies, not the values. */
void		 hmap_free(struct hmap *);
/* Inserts or replaces; returns the previous value or NULL. */
void		*hmap_put(struct hmap *, const void *key, size_t keylen, void *);
void		*hmap_get(const struct hmap *, const void *key, size_t keylen);
/* Removes the key; returns its value or NULL. */
void		*hmap_del(struct hmap *, const void *key, size_t keylen);
size_t		 hmap_count(const struct hmap *);
/*
 * Iterates: start with *pos = 0; returns 0 when done.  The map must not
 * change during iteration.
 */
int		 hmap_next(const struct hmap *, size_t *pos, const void **key,
		    size_t *keylen, void **value);
uint64_t	 hmap_hash(const void *, size_t);

#endif
