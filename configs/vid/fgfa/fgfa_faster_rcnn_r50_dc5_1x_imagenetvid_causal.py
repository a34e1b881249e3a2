# FGFA in causal (online) mode: not an MMTracking config. Each frame aggregates itself and the 15 frames before it
# (MMTracking's test_with_fix_stride with frame_range [-15, 0]) instead of 15 before and 15 after, so no frame is read
# ahead: for playing a video as it decodes and for live input. Same model and graphs as the offline config; the boxes
# differ from MMTracking's offline test (docs/vid.md, "Causal mode").
_base_ = ['./fgfa_faster_rcnn_r50_dc5_1x_imagenetvid.py']
data = dict(test=dict(ref_img_sampler=dict(frame_range=[-15, 0])))
