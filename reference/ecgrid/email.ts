/** The email rule of both ECGrid faces: something@something.something, no white space, one '@'. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const isValidEmail = (value: string): boolean => EMAIL.test(value)
