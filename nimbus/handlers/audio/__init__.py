"""PCM plumbing shared by listening and speaking: conversion, devices, audio files."""
